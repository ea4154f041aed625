import GuruStore
import Hummingbird
import HTTPTypes

/// What a route demands of its caller. Every route declares one; there is no default.
///
/// Besides who may call (`requirement`), a route that changes credentials (a password, two-factor sign-in,
/// API keys) says whose (`credentials`): when they are the caller's own, an API key is refused, so a leaked
/// key can never take over the account that owns it.
public struct Access: Sendable, Hashable, CustomStringConvertible {
    /// Who may call the route.
    public enum Requirement: Sendable, Hashable {
        /// Open to everyone, signed in or not (pages, sign-in, setup, health).
        case anyone
        /// Any signed-in user or API key.
        case signedIn
        /// A signed-in caller whose role holds these permissions.
        case permission(Permission)
        /// A scraper presenting the configured `metricsToken` as its bearer token; no user, and no user gets in.
        case metricsToken
    }

    /// Whose credentials a route changes.
    public enum CredentialTarget: Sendable, Hashable {
        /// None: an ordinary route.
        case none
        /// The caller's own (the account routes).
        case caller
        /// The user named by the `{id}` path parameter (the admin user routes); the caller's own when it is them.
        case pathUser
    }

    public let requirement: Requirement
    public let credentials: CredentialTarget

    public init(_ requirement: Requirement, credentials: CredentialTarget = .none) {
        self.requirement = requirement
        self.credentials = credentials
    }

    public static let anyone = Access(.anyone)
    public static let signedIn = Access(.signedIn)
    public static let metricsToken = Access(.metricsToken)
    public static func permission(_ permission: Permission) -> Access { Access(.permission(permission)) }

    /// This access, on a route that changes the credentials of `target`.
    public func changingCredentials(of target: CredentialTarget) -> Access { Access(requirement, credentials: target) }

    public var description: String {
        let who = switch requirement {
        case .anyone: "anyone"
        case .signedIn: "signedIn"
        case .permission(let permission): "permission(\(permission.names.joined(separator: ",")))"
        case .metricsToken: "metricsToken"
        }
        return switch credentials {
        case .none: who
        case .caller: "\(who), own credentials"
        case .pathUser: "\(who), credentials of {id}"
        }
    }
}

/// The one place permissions are checked, for HTTP and (later) WebSocket routes alike.
enum Authorizer {
    private static let unsafeMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// Throws 401, 403 or 403 csrf unless the caller may use a route with this access.
    static func authorize(_ access: Access, request: Request, context: AppRequestContext) throws {
        switch access.requirement {
        case .anyone: return
        case .metricsToken:
            guard context.presentsMetricsToken else {
                if context.identity != nil { throw APIError.forbidden("Metrics need the metrics bearer token, not a user's credential.") }
                throw APIError.metricsTokenRequired
            }
            return
        case .signedIn, .permission: break
        }
        let identity = try context.requireIdentity()
        // Only cookie sessions ride along on cross-site requests, so only they need the CSRF token.
        if case .session(_, let expected) = identity.credential, unsafeMethods.contains(request.method) {
            let given = request.headers[.csrfToken] ?? ""
            guard SecureToken.constantTimeEquals(given, expected) else { throw APIError.csrf }
        }
        if case .permission(let needed) = access.requirement, !identity.has(needed) {
            throw APIError.forbidden()
        }
        if case .apiKey = identity.credential, changesOwnCredentials(access, identity: identity, context: context) {
            throw APIError.forbidden("An API key cannot change its owner's password, two-factor sign-in or API keys.")
        }
    }

    /// True when the route changes the caller's own credentials.
    static func changesOwnCredentials(_ access: Access, identity: Identity, context: AppRequestContext) -> Bool {
        switch access.credentials {
        case .none: false
        case .caller: true
        case .pathUser: context.parameters.get("id") == identity.user.id
        }
    }
}
