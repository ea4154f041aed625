import Foundation
import GuruStore
import Hummingbird

/// Starts and ends browser sessions: the random token goes in the cookie, its hash in the store.
struct SessionIssuer: Sendable {
    let dependencies: ServerDependencies

    /// Creates a session and returns the response body fields plus the cookie to set. Refused (401) when
    /// the account was disabled or its password changed since `passwordHash` was verified.
    func start(
        for user: User, verifiedPasswordHash passwordHash: String, request: Request, context: AppRequestContext
    ) async throws -> (csrfToken: String, cookie: Cookie) {
        let token = SecureToken.make()
        let now = Date()
        let created = try await dependencies.store.webSessions.create(WebSession(
            tokenHash: SecureToken.sha256Hex(token), userId: user.id, createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(AuthenticationMiddleware.idleLifetime),
            sourceAddress: context.clientAddress, userAgent: request.headers[.userAgent].map { String($0.prefix(300)) }
        ), requiringPasswordHash: passwordHash)
        guard created else { throw APIError.invalidCredentials }
        let cookie = Cookie(
            name: AuthenticationMiddleware.cookieName, value: token,
            maxAge: Int(AuthenticationMiddleware.absoluteLifetime), path: "/",
            secure: dependencies.configuration.cookiesSecure, httpOnly: true, sameSite: .strict
        )
        return (dependencies.serverKey.csrfToken(forSession: token), cookie)
    }

    /// A cookie that tells the browser to forget the session.
    func clearingCookie() -> Cookie {
        Cookie(
            name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/",
            secure: dependencies.configuration.cookiesSecure, httpOnly: true, sameSite: .strict
        )
    }
}
