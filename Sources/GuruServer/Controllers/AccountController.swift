import Foundation
import GuruStore
import Hummingbird

/// The signed-in user's own account: password and two-factor.
struct AccountController: RouteCollection {
    let dependencies: ServerDependencies

    struct PasswordChange: Decodable { let currentPassword: String; let newPassword: String }
    struct Enrolment: ResponseEncodable { let secret: String; let otpauthUri: String; let qrSvg: String }
    struct CodeBody: Decodable { let code: String }
    struct RecoveryCodesBody: ResponseEncodable { let recoveryCodes: [String] }
    struct PasswordBody: Decodable { let password: String }

    func register(on routes: RouteTable) {
        routes.post("/api/account/password", .signedIn) { request, context in try await changePassword(request, context) }
        routes.post("/api/account/totp/enroll", .signedIn) { _, context in try await enroll(context) }
        routes.post("/api/account/totp/confirm", .signedIn) { request, context in try await confirm(request, context) }
        routes.post("/api/account/totp/disable", .signedIn) { request, context in try await disable(request, context) }
    }

    private func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var user = try context.requireIdentity().user
        let body = try await request.decode(as: PasswordChange.self, context: context)
        guard body.currentPassword.utf8.count <= 72,
              try await dependencies.hasher.verify(body.currentPassword, against: user.passwordHash) else {
            await dependencies.audit.record("account.password", .failure, context: context, detail: "wrong current password")
            throw APIError(.unauthorized, "invalid_credentials", "The current password is wrong.")
        }
        try PasswordHasher.validate(body.newPassword)
        user.passwordHash = try await dependencies.hasher.hash(body.newPassword)
        try await dependencies.store.users.update(user)
        var keep: String?
        if case .session(let hash, _) = try context.requireIdentity().credential { keep = hash }
        try await dependencies.store.webSessions.deleteAll(userId: user.id, keeping: keep)
        await dependencies.audit.record("account.password", .success, context: context)
        return Response(status: .noContent)
    }

    private func enroll(_ context: AppRequestContext) async throws -> Enrolment {
        var user = try context.requireIdentity().user
        guard !user.totpEnabled else { throw APIError.conflict("Two-factor sign-in is already on. Turn it off first.") }
        let secret = TOTPAuthenticator.makeSecret()
        user.totpPendingSecret = try dependencies.serverKey.seal(secret)
        try await dependencies.store.users.update(user)
        let uri = TOTPAuthenticator.provisioningURI(secret: secret, account: user.username)
        guard let svg = QRCodeRenderer.svg(for: uri) else { throw APIError.internalError }
        return Enrolment(secret: TOTPAuthenticator.manualEntryKey(secret: secret), otpauthUri: uri, qrSvg: svg)
    }

    private func confirm(_ request: Request, _ context: AppRequestContext) async throws -> RecoveryCodesBody {
        var user = try context.requireIdentity().user
        let body = try await request.decode(as: CodeBody.self, context: context)
        guard !user.totpEnabled else { throw APIError.conflict("Two-factor sign-in is already on.") }
        guard let sealed = user.totpPendingSecret else { throw APIError.conflict("Start the enrolment first.") }
        let secret = try dependencies.serverKey.open(sealed)
        guard let step = TOTPAuthenticator.matchingStep(code: body.code, secret: secret, at: .now) else {
            await dependencies.audit.record("totp.enable", .failure, context: context, detail: "wrong confirmation code")
            throw APIError(.unauthorized, "totp_invalid", "That code does not match. Check the time on your phone and try again.")
        }
        user.totpSecret = sealed
        user.totpPendingSecret = nil
        user.totpLastStep = step
        try await dependencies.store.users.update(user)
        let codes = RecoveryCodes.make()
        try await dependencies.store.users.replaceRecoveryCodes(userId: user.id, hashes: codes.map(RecoveryCodes.hash))
        await dependencies.audit.record("totp.enable", .success, context: context, target: user.username)
        return RecoveryCodesBody(recoveryCodes: codes)
    }

    private func disable(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity().user
        let body = try await request.decode(as: PasswordBody.self, context: context)
        guard body.password.utf8.count <= 72, try await dependencies.hasher.verify(body.password, against: user.passwordHash) else {
            await dependencies.audit.record("totp.disable", .failure, context: context, detail: "wrong password")
            throw APIError(.unauthorized, "invalid_credentials", "The password is wrong.")
        }
        try await TwoFactorReset(store: dependencies.store).reset(userId: user.id)
        await dependencies.audit.record("totp.disable", .success, context: context, target: user.username)
        return Response(status: .noContent)
    }
}

/// Turns two-factor off for a user and drops their recovery codes.
struct TwoFactorReset {
    let store: Store

    func reset(userId: String) async throws {
        guard var user = try await store.users.find(id: userId) else { throw APIError.notFound("No such user.") }
        user.totpSecret = nil
        user.totpPendingSecret = nil
        try await store.users.update(user)
        try await store.users.replaceRecoveryCodes(userId: userId, hashes: [])
    }
}
