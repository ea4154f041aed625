import Foundation
import GuruStore
import Hummingbird
import HTTPTypes

/// Works out who is calling, from an API key or the session cookie, and where from.
/// It never rejects a request by itself except for a bad API key; routes decide through `Authorizer`.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "gc_session"
    /// A session ends after this long without use…
    static let idleLifetime: TimeInterval = 12 * 3600
    /// …and after this long in any case.
    static let absoluteLifetime: TimeInterval = 7 * 24 * 3600

    let dependencies: ServerDependencies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if dependencies.configuration.trustForwardedFor,
           let forwarded = request.headers[.forwardedFor]?.split(separator: ",").last {
            context.clientAddress = BoundedText.key(forwarded.trimmingCharacters(in: .whitespaces))
        }
        if let authorization = request.headers[.authorization] {
            if isMetricsToken(authorization) {
                context.presentsMetricsToken = true
            } else {
                context.identity = try await identify(authorization: authorization)
            }
        } else if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            context.identity = try await identify(sessionToken: token)
        }
        return try await next(request, context)
    }

    /// The scraper's token is compared in constant time; it never names a user, so it is checked apart from API keys.
    private func isMetricsToken(_ authorization: String) -> Bool {
        guard let expected = dependencies.configuration.metricsToken, authorization.hasPrefix("Bearer ") else { return false }
        return SecureToken.constantTimeEquals(String(authorization.dropFirst(7)), expected)
    }

    private func identify(authorization: String) async throws -> Identity {
        let invalid = APIError(.unauthorized, "unauthenticated", "The API key is invalid, expired or revoked.")
        guard authorization.hasPrefix("Bearer "), let keyId = ApiKeyFormat.id(of: String(authorization.dropFirst(7))) else {
            throw invalid
        }
        let secret = String(authorization.dropFirst(7))
        let store = dependencies.store
        guard let key = try await store.apiKeys.find(id: keyId),
              SecureToken.constantTimeEquals(key.secretHash, SecureToken.sha256Hex(secret)),
              key.isActive(at: .now),
              let (user, role) = try await activeUser(key.userId)
        else { throw invalid }
        try await store.apiKeys.touch(id: key.id, at: .now)
        return Identity(user: user, role: role, credential: .apiKey(id: key.id))
    }

    private func identify(sessionToken token: String) async throws -> Identity? {
        let store = dependencies.store
        let hash = SecureToken.sha256Hex(token)
        guard let session = try await store.webSessions.find(tokenHash: hash) else { return nil }
        let now = Date()
        guard session.expiresAt > now else {
            try await store.webSessions.delete(tokenHash: hash)
            return nil
        }
        guard let (user, role) = try await activeUser(session.userId) else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            let expiry = min(now.addingTimeInterval(Self.idleLifetime), session.createdAt.addingTimeInterval(Self.absoluteLifetime))
            try await store.webSessions.touch(tokenHash: hash, at: now, expiresAt: expiry)
        }
        let csrf = dependencies.serverKey.csrfToken(forSession: token)
        return Identity(user: user, role: role, credential: .session(tokenHash: hash, csrfToken: csrf))
    }

    private func activeUser(_ id: String) async throws -> (User, Role)? {
        guard let user = try await dependencies.store.users.find(id: id), !user.disabled,
              let role = try await dependencies.store.roles.find(id: user.roleId)
        else { return nil }
        return (user, role)
    }
}

/// API keys look like `gck_<12-char id>_<secret>`; the id finds the row, the whole string is hashed.
enum ApiKeyFormat {
    static let prefix = "gck_"
    static let idLength = 12

    static func make() -> (id: String, secret: String) {
        let id = SecureToken.random(length: idLength, alphabet: Array("abcdefghijkmnopqrstuvwxyz23456789"))
        return (id, "\(prefix)\(id)_\(SecureToken.make())")
    }

    static func id(of secret: String) -> String? {
        guard secret.hasPrefix(prefix), secret.count > prefix.count + idLength + 1, secret.count < 200 else { return nil }
        let body = secret.dropFirst(prefix.count)
        let id = body.prefix(idLength)
        guard body.dropFirst(idLength).first == "_" else { return nil }
        return String(id)
    }
}
