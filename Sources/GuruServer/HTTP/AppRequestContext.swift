import GuruStore
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Per-request state: who is calling (once authentication has run) and from where.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the router when a route upgrades to a WebSocket.
    public let webSocket: WebSocketHandlerReference<AppRequestContext>
    public let remoteAddress: SocketAddress?
    /// The connection's channel: a relay WebSocket puts its read budget into its pipeline.
    public let channel: any Channel
    /// The authenticated caller, set by `AuthenticationMiddleware`.
    public var identity: Identity?
    /// True when the request's bearer token is the configured `metricsToken` (set by `AuthenticationMiddleware`).
    public var presentsMetricsToken = false
    /// The client's address as audited: the peer, or the proxy's `X-Forwarded-For` when trusted.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }

    /// API bodies are small; anything larger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }

    /// The caller, or 401.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthenticated }
        return identity
    }
}
