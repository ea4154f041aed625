import Foundation
import GuruStore
import Hummingbird

/// Sign-in (password, then TOTP or a recovery code when 2FA is on), sign-out and "who am I".
struct AuthController: RouteCollection {
    let dependencies: ServerDependencies
    var sessions: SessionIssuer { SessionIssuer(dependencies: dependencies) }

    struct LoginRequest: Decodable { let username: String; let password: String }
    struct SecondFactorRequest: Decodable { let challenge: String; let code: String?; let recoveryCode: String? }
    struct SignedIn: ResponseEncodable { let status: String; let user: UserDTO?; let csrfToken: String?; let challenge: String? }
    struct SessionInfo: ResponseEncodable { let user: UserDTO; let csrfToken: String? }

    func register(on routes: RouteTable) {
        routes.post("/api/auth/login", .anyone) { request, context in try await login(request, context) }
        routes.post("/api/auth/totp", .anyone) { request, context in try await secondFactor(request, context) }
        routes.post("/api/auth/logout", .signedIn) { request, context in try await logout(request, context) }
        routes.get("/api/session", .signedIn) { _, context in
            let identity = try context.requireIdentity()
            var csrf: String?
            if case .session(_, let token) = identity.credential { csrf = token }
            return SessionInfo(user: try await dependencies.userDTO(identity.user), csrfToken: csrf)
        }
    }

    private func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: LoginRequest.self, context: context)
        let username = body.username.trimmingCharacters(in: .whitespaces)
        let address = context.clientAddress
        if let wait = await dependencies.throttle.retryAfter(address: address, account: username) {
            await dependencies.audit.record("auth.login", .denied, context: context, target: username, detail: "throttled for \(wait) s")
            throw APIError.throttled(retryAfter: wait)
        }
        let user = username.count <= 64 ? try await dependencies.store.users.find(username: username) : nil
        let passwordFits = body.password.utf8.count <= 72
        // Always spend one bcrypt, so a missing user takes as long as a wrong password.
        let matches = try await dependencies.hasher.verify(
            passwordFits ? body.password : "", against: user?.passwordHash ?? dependencies.hasher.decoyHash
        )
        guard let user, matches, passwordFits, !user.disabled else {
            await dependencies.throttle.recordFailure(address: address, account: username)
            let reason = user == nil ? "unknown user" : (user?.disabled == true ? "account disabled" : "wrong password")
            await dependencies.audit.record("auth.login", .failure, context: context, actor: user, target: username, detail: reason)
            throw APIError.invalidCredentials
        }
        if user.totpEnabled {
            let challenge = await dependencies.pendingSignIns.begin(userId: user.id)
            return try SignedIn(status: "totp_required", user: nil, csrfToken: nil, challenge: challenge)
                .response(from: request, context: context)
        }
        return try await complete(user, method: "password", request, context)
    }

    private func secondFactor(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: SecondFactorRequest.self, context: context)
        let expired = APIError(.unauthorized, "totp_invalid", "This sign-in has expired. Start again.")
        guard let userId = await dependencies.pendingSignIns.userId(for: body.challenge),
              var user = try await dependencies.store.users.find(id: userId), !user.disabled, let sealed = user.totpSecret
        else { throw expired }
        let address = context.clientAddress
        if let wait = await dependencies.throttle.retryAfter(address: address, account: user.username) {
            await dependencies.audit.record("auth.totp", .denied, context: context, actor: user, detail: "throttled for \(wait) s")
            throw APIError.throttled(retryAfter: wait)
        }
        var method = "totp"
        var accepted = false
        if let code = body.code {
            let secret = try dependencies.serverKey.open(sealed)
            if let step = TOTPAuthenticator.matchingStep(code: code, secret: secret, at: .now) {
                accepted = try await dependencies.store.users.advanceTotpStep(userId: user.id, to: step)
            }
        } else if let recovery = body.recoveryCode {
            method = "recovery code"
            accepted = try await dependencies.store.users.consumeRecoveryCode(
                userId: user.id, hash: RecoveryCodes.hash(recovery), at: .now
            )
        } else {
            throw APIError.badRequest("Send a code or a recoveryCode.")
        }
        guard accepted else {
            await dependencies.pendingSignIns.recordFailure(body.challenge)
            await dependencies.throttle.recordFailure(address: address, account: user.username)
            await dependencies.audit.record("auth.totp", .failure, context: context, actor: user, detail: "wrong or reused \(method)")
            throw APIError(.unauthorized, "totp_invalid", "That code is wrong or was already used.")
        }
        await dependencies.pendingSignIns.finish(body.challenge)
        user = try await dependencies.store.users.find(id: user.id) ?? user
        return try await complete(user, method: method, request, context)
    }

    private func complete(_ user: User, method: String, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        var user = user
        user.lastLoginAt = .now
        try await dependencies.store.users.update(user)
        await dependencies.throttle.recordSuccess(account: user.username)
        let (csrf, cookie) = try await sessions.start(for: user, request: request, context: context)
        await dependencies.audit.record("auth.login", .success, context: context, actor: user, target: user.username, detail: method)
        var response = try SignedIn(status: "ok", user: try await dependencies.userDTO(user), csrfToken: csrf, challenge: nil)
            .response(from: request, context: context)
        response.setCookie(cookie)
        return response
    }

    private func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        if case .session(let hash, _) = identity.credential {
            try await dependencies.store.webSessions.delete(tokenHash: hash)
        }
        await dependencies.audit.record("auth.logout", .success, context: context)
        var response = Response(status: .noContent)
        response.setCookie(sessions.clearingCookie())
        return response
    }
}

/// Ten single-use recovery codes like `K7QF-2MXP`, stored as SHA-256 of their normalised form.
enum RecoveryCodes {
    static let count = 10
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func make() -> [String] {
        (0..<count).map { _ in
            let raw = SecureToken.random(length: 8, alphabet: alphabet)
            return "\(raw.prefix(4))-\(raw.suffix(4))"
        }
    }

    static func hash(_ code: String) -> String {
        SecureToken.sha256Hex(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}
