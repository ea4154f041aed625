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
        // Counted now, in one actor turn: however many requests arrive at once, only the budget's worth
        // reach bcrypt, and only one per account at a time.
        let attempt = try await reserve("auth.login", account: username, context)
        let user: User?
        let matches: Bool
        let passwordFits = body.password.utf8.count <= 72
        do {
            user = username.count <= 64 ? try await dependencies.store.users.find(username: username) : nil
            // Always spend one bcrypt, so a missing user takes as long as a wrong password.
            matches = try await dependencies.hasher.verify(
                passwordFits ? body.password : "", against: user?.passwordHash ?? dependencies.hasher.decoyHash
            )
        } catch let busy as BcryptQueue.Busy {
            await dependencies.throttle.settle(attempt, as: .notTried)
            await dependencies.audit.record("auth.login", .denied, context: context, target: username, detail: "bcrypt queue full")
            throw busy
        } catch {
            await dependencies.throttle.settle(attempt, as: .failed)
            throw error
        }
        guard let user, matches, passwordFits, !user.disabled else {
            await dependencies.throttle.settle(attempt, as: .failed)
            let reason = user == nil ? "unknown user" : (user?.disabled == true ? "account disabled" : "wrong password")
            await dependencies.audit.record("auth.login", .failure, context: context, actor: user, target: username, detail: reason)
            throw APIError.invalidCredentials
        }
        if user.totpEnabled {
            // The password was right, but that alone must not reset the account's count of failures.
            await dependencies.throttle.settle(attempt, as: .notTried)
            let challenge = await dependencies.pendingSignIns.begin(userId: user.id, passwordHash: user.passwordHash)
            return try SignedIn(status: "totp_required", user: nil, csrfToken: nil, challenge: challenge)
                .response(from: request, context: context)
        }
        await dependencies.throttle.settle(attempt, as: .succeeded)
        return try await complete(user, verifiedPasswordHash: user.passwordHash, method: "password", request, context)
    }

    private func secondFactor(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: SecondFactorRequest.self, context: context)
        let expired = APIError(.unauthorized, "totp_invalid", "This sign-in has expired. Start again.")
        guard body.code != nil || body.recoveryCode != nil else { throw APIError.badRequest("Send a code or a recoveryCode.") }
        guard let pending = await dependencies.pendingSignIns.claimAttempt(body.challenge),
              let user = try await dependencies.store.users.find(id: pending.userId), !user.disabled, let sealed = user.totpSecret
        else { throw expired }
        let attempt = try await reserve("auth.totp", account: user.username, actor: user, context)
        var method = "totp"
        let accepted: Bool
        do {
            if let code = body.code {
                let secret = try dependencies.serverKey.open(sealed)
                if let step = TOTPAuthenticator.matchingStep(code: code, secret: secret, at: .now) {
                    accepted = try await dependencies.store.users.advanceTotpStep(userId: user.id, to: step)
                } else {
                    accepted = false
                }
            } else {
                method = "recovery code"
                accepted = try await dependencies.store.users.consumeRecoveryCode(
                    userId: user.id, hash: RecoveryCodes.hash(body.recoveryCode ?? ""), at: .now
                )
            }
        } catch {
            await dependencies.throttle.settle(attempt, as: .failed)
            throw error
        }
        guard accepted else {
            await dependencies.throttle.settle(attempt, as: .failed)
            await dependencies.audit.record("auth.totp", .failure, context: context, actor: user, detail: "wrong or reused \(method)")
            throw APIError(.unauthorized, "totp_invalid", "That code is wrong or was already used.")
        }
        await dependencies.throttle.settle(attempt, as: .succeeded)
        await dependencies.pendingSignIns.finish(body.challenge)
        return try await complete(user, verifiedPasswordHash: pending.passwordHash, method: method, request, context)
    }

    /// Reserves one attempt on `account`, or audits the refusal and answers 429.
    private func reserve(
        _ action: String, account: String, actor: User? = nil, _ context: AppRequestContext
    ) async throws -> AttemptBudget.Reservation {
        do throws(Throttled) {
            return try await dependencies.throttle.reserve(address: context.clientAddress, account: account)
        } catch {
            await dependencies.audit.record(
                action, .denied, context: context, actor: actor, target: actor == nil ? account : nil,
                detail: "throttled for \(error.retryAfter) s"
            )
            throw APIError.throttled(retryAfter: error.retryAfter)
        }
    }

    /// Signs the user in, if the account is still enabled and still has the password that was checked:
    /// the row is re-read in the same statement that records the login, so a disable, demotion or password
    /// reset that landed while bcrypt ran is never undone, and a stale login is refused.
    private func complete(
        _ checked: User, verifiedPasswordHash: String, method: String, _ request: Request, _ context: AppRequestContext
    ) async throws -> Response {
        guard let user = try await dependencies.store.users.recordLogin(
            userId: checked.id, verifiedPasswordHash: verifiedPasswordHash, at: .now
        ) else {
            await dependencies.audit.record(
                "auth.login", .failure, context: context, actor: checked, target: checked.username,
                detail: "account disabled or password changed during sign-in"
            )
            throw APIError.invalidCredentials
        }
        let (csrf, cookie) = try await sessions.start(
            for: user, verifiedPasswordHash: verifiedPasswordHash, request: request, context: context
        )
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
