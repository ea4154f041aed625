import Foundation
import GuruStore
import Hummingbird

/// The signed-in user's own account: password and two-factor.
struct AccountController: RouteCollection {
    let dependencies: ServerDependencies

    struct PasswordChange: Decodable { let currentPassword: String; let newPassword: String; let code: String? }
    struct Enrolment: ResponseEncodable { let secret: String; let otpauthUri: String; let qrSvg: String }
    struct CodeBody: Decodable { let code: String }
    struct RecoveryCodesBody: ResponseEncodable { let recoveryCodes: [String] }
    struct PasswordBody: Decodable { let password: String; let code: String? }

    func register(on routes: RouteTable) {
        // Each changes the caller's own credentials: the Authorizer refuses API keys on them.
        let own = Access.signedIn.changingCredentials(of: .caller)
        routes.post("/api/account/password", own) { request, context in try await changePassword(request, context) }
        routes.post("/api/account/totp/enroll", own) { _, context in try await enroll(context) }
        routes.post("/api/account/totp/confirm", own) { request, context in try await confirm(request, context) }
        routes.post("/api/account/totp/disable", own) { request, context in try await disable(request, context) }
    }

    private func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity().user
        let body = try await request.decode(as: PasswordChange.self, context: context)
        try await Reauthentication(dependencies: dependencies).verify(
            user, currentPassword: body.currentPassword, code: body.code, action: "account.password", context: context
        )
        try PasswordHasher.validate(body.newPassword)
        let newHash = try await dependencies.hasher.hash(body.newPassword)
        guard try await dependencies.store.users.setPasswordHash(userId: user.id, to: newHash, expected: user.passwordHash) else {
            await dependencies.audit.record("account.password", .failure, context: context, detail: "password changed meanwhile")
            throw APIError.conflict("The password was changed meanwhile. Sign in again.")
        }
        var keep: String?
        if case .session(let hash, _) = try context.requireIdentity().credential { keep = hash }
        try await dependencies.store.webSessions.deleteAll(userId: user.id, keeping: keep)
        await dependencies.audit.record("account.password", .success, context: context)
        return Response(status: .noContent)
    }

    private func enroll(_ context: AppRequestContext) async throws -> Enrolment {
        let user = try context.requireIdentity().user
        let alreadyOn = APIError.conflict("Two-factor sign-in is already on. Turn it off first.")
        guard !user.totpEnabled else { throw alreadyOn }
        let secret = TOTPAuthenticator.makeSecret()
        guard try await dependencies.store.users.setPendingTotpSecret(userId: user.id, sealed: try dependencies.serverKey.seal(secret)) else {
            throw alreadyOn
        }
        let uri = TOTPAuthenticator.provisioningURI(secret: secret, account: user.username)
        guard let svg = QRCodeRenderer.svg(for: uri) else { throw APIError.internalError }
        return Enrolment(secret: TOTPAuthenticator.manualEntryKey(secret: secret), otpauthUri: uri, qrSvg: svg)
    }

    private func confirm(_ request: Request, _ context: AppRequestContext) async throws -> RecoveryCodesBody {
        let user = try context.requireIdentity().user
        let body = try await request.decode(as: CodeBody.self, context: context)
        guard !user.totpEnabled else { throw APIError.conflict("Two-factor sign-in is already on.") }
        guard let sealed = user.totpPendingSecret else { throw APIError.conflict("Start the enrolment first.") }
        let secret = try dependencies.serverKey.open(sealed)
        guard let step = TOTPAuthenticator.matchingStep(code: body.code, secret: secret, at: .now) else {
            await dependencies.audit.record("totp.enable", .failure, context: context, detail: "wrong confirmation code")
            throw APIError(.unauthorized, "totp_invalid", "That code does not match. Check the time on your phone and try again.")
        }
        guard try await dependencies.store.users.confirmTotp(userId: user.id, pendingSecret: sealed, step: step) else {
            throw APIError.conflict("This enrolment was replaced or two-factor was turned on meanwhile. Start again.")
        }
        let codes = RecoveryCodes.make()
        try await dependencies.store.users.replaceRecoveryCodes(userId: user.id, hashes: codes.map(RecoveryCodes.hash))
        await dependencies.audit.record("totp.enable", .success, context: context, target: user.username)
        return RecoveryCodesBody(recoveryCodes: codes)
    }

    private func disable(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity().user
        let body = try await request.decode(as: PasswordBody.self, context: context)
        try await Reauthentication(dependencies: dependencies).verify(
            user, currentPassword: body.password, code: body.code, action: "totp.disable", context: context
        )
        try await TwoFactorReset(store: dependencies.store).reset(userId: user.id)
        await dependencies.audit.record("totp.disable", .success, context: context, target: user.username)
        return Response(status: .noContent)
    }
}

/// Turns two-factor off for a user and drops their recovery codes.
struct TwoFactorReset {
    let store: Store

    func reset(userId: String) async throws {
        try await mapStoreErrors(notFound: APIError.notFound("No such user.")) { () async throws(StoreError) in
            try await store.users.clearTotp(userId: userId)
        }
        try await store.users.replaceRecoveryCodes(userId: userId, hashes: [])
    }
}
