import Foundation
import GuruStore
import Hummingbird

/// The one error type routes throw. It renders as `{ "error": code, "message": … }`.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds until a throttled caller may try again.
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    public static let unauthenticated = APIError(.unauthorized, "unauthenticated", "Sign in first.")
    public static let invalidCredentials = APIError(.unauthorized, "invalid_credentials", "Wrong username or password.")
    public static func forbidden(_ message: String = "Your role does not allow this.") -> APIError {
        APIError(.forbidden, "forbidden", message)
    }
    public static let csrf = APIError(.forbidden, "csrf", "Missing or wrong CSRF token; reload the page.")
    public static func notFound(_ message: String = "Not found.") -> APIError { APIError(.notFound, "not_found", message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, "conflict", message) }
    public static func throttled(retryAfter: Int) -> APIError {
        APIError(.tooManyRequests, "throttled", "Too many attempts. Try again in \(retryAfter) s.", retryAfter: retryAfter)
    }
    public static func busy(retryAfter: Int) -> APIError {
        APIError(.serviceUnavailable, "busy", "The server is busy. Try again in \(retryAfter) s.", retryAfter: retryAfter)
    }
    public static let metricsTokenRequired = APIError(
        .unauthorized, "metrics_token", "Send the configured metricsToken as `Authorization: Bearer …`."
    )
    public static let internalError = APIError(.internalServerError, "internal", "Something went wrong on the server.")

    private struct Body: Encodable {
        let error: String
        let message: String
        let retryAfter: Int?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: code, message: message, retryAfter: retryAfter))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if code == Self.metricsTokenRequired.code { headers[.wwwAuthenticate] = #"Bearer realm="metrics""# }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    /// Maps store failures to what the caller should see; database details stay in the log.
    static func from(_ error: StoreError) -> APIError {
        switch error {
        case .conflict: .conflict("That name is already taken.")
        case .notFound: .notFound()
        case .corrupt, .database, .invalidURL: .internalError
        }
    }
}
