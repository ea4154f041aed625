import Hummingbird
import HummingbirdWebSocket

/// One declared route: method, path pattern and the access it needs.
public struct RouteDescriptor: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access

    public var description: String { "\(method.rawValue) \(path) → \(access)" }
}

/// Registers routes on the router, each behind `Authorizer`, and remembers them so a test can walk them all.
final class RouteTable {
    let router: Router<AppRequestContext>
    private(set) var descriptors: [RouteDescriptor] = []

    init(router: Router<AppRequestContext>) {
        self.router = router
    }

    func add<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access,
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        descriptors.append(RouteDescriptor(method: method, path: path, access: access))
        router.on(RouterPath(path), method: method) { request, context in
            try Authorizer.authorize(access, request: request, context: context)
            return try await handler(request, context)
        }
    }

    /// A WebSocket route; the access check runs before the upgrade is accepted.
    func ws(_ path: String, _ access: Access, _ handler: @escaping WebSocketDataHandler<WebSocketRouterContext<AppRequestContext>>) {
        descriptors.append(RouteDescriptor(method: .get, path: path, access: access))
        router.ws(RouterPath(path), shouldUpgrade: { request, context in
            try Authorizer.authorize(access, request: request, context: context)
            return .upgrade([:])
        }, onUpgrade: handler)
    }

    func get<Output: ResponseGenerator>(
        _ path: String, _ access: Access, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) { add(.get, path, access, handler) }

    func post<Output: ResponseGenerator>(
        _ path: String, _ access: Access, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) { add(.post, path, access, handler) }

    func put<Output: ResponseGenerator>(
        _ path: String, _ access: Access, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) { add(.put, path, access, handler) }

    func patch<Output: ResponseGenerator>(
        _ path: String, _ access: Access, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) { add(.patch, path, access, handler) }

    func delete<Output: ResponseGenerator>(
        _ path: String, _ access: Access, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) { add(.delete, path, access, handler) }
}

/// A controller contributes its routes to the table.
protocol RouteCollection {
    func register(on routes: RouteTable)
}

extension AppRequestContext {
    /// A path parameter that the route pattern guarantees.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name), !value.isEmpty else { throw APIError.badRequest("Missing \(name) in the path.") }
        return value
    }
}
