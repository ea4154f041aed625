import GuruStore
import Hummingbird
import HTTPTypes

/// What a route demands of its caller. Every route declares one; there is no default.
public enum Access: Sendable, Hashable, CustomStringConvertible {
    /// Open to everyone, signed in or not (pages, sign-in, setup, health).
    case anyone
    /// Any signed-in user or API key.
    case signedIn
    /// A signed-in caller whose role holds these permissions.
    case permission(Permission)

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .signedIn: "signedIn"
        case .permission(let permission): "permission(\(permission.names.joined(separator: ",")))"
        }
    }
}

/// The one place permissions are checked, for HTTP and (later) WebSocket routes alike.
enum Authorizer {
    private static let unsafeMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// Throws 401, 403 or 403 csrf unless the caller may use a route with this access.
    static func authorize(_ access: Access, request: Request, context: AppRequestContext) throws {
        guard access != .anyone else { return }
        let identity = try context.requireIdentity()
        // Only cookie sessions ride along on cross-site requests, so only they need the CSRF token.
        if case .session(_, let expected) = identity.credential, unsafeMethods.contains(request.method) {
            let given = request.headers[.csrfToken] ?? ""
            guard SecureToken.constantTimeEquals(given, expected) else { throw APIError.csrf }
        }
        if case .permission(let needed) = access, !identity.has(needed) {
            throw APIError.forbidden()
        }
    }
}
