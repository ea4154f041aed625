import Foundation
import GuruStore

/// Proof that whoever acts on an account's own credentials is its owner, now: the current password, and a
/// code from the authenticator when two-factor is on. A stolen session alone cannot then reset the password
/// or turn two-factor off (an API key never gets this far: `Authorizer` refuses it on those routes).
struct Reauthentication {
    let dependencies: ServerDependencies

    /// Checks the proof for `user`; throws 401 with a message that says what is missing or wrong.
    func verify(_ user: User, currentPassword: String?, code: String?, action: String, context: AppRequestContext) async throws {
        guard let currentPassword, !currentPassword.isEmpty else {
            await dependencies.audit.record(action, .denied, context: context, target: user.username, detail: "no current password")
            throw APIError(.unauthorized, "reauthentication_required", Self.missing(user))
        }
        guard currentPassword.utf8.count <= 72, try await dependencies.hasher.verify(currentPassword, against: user.passwordHash) else {
            await dependencies.audit.record(action, .failure, context: context, target: user.username, detail: "wrong current password")
            throw APIError(.unauthorized, "invalid_credentials", "The current password is wrong.")
        }
        guard let sealed = user.totpSecret else { return }
        guard let code, !code.isEmpty else {
            await dependencies.audit.record(action, .denied, context: context, target: user.username, detail: "no two-factor code")
            throw APIError(.unauthorized, "reauthentication_required", Self.missing(user))
        }
        let secret = try dependencies.serverKey.open(sealed)
        guard let step = TOTPAuthenticator.matchingStep(code: code, secret: secret, at: .now),
              try await dependencies.store.users.advanceTotpStep(userId: user.id, to: step)
        else {
            await dependencies.audit.record(action, .failure, context: context, target: user.username, detail: "wrong or reused two-factor code")
            throw APIError(.unauthorized, "totp_invalid", "That code is wrong or was already used.")
        }
    }

    private static func missing(_ user: User) -> String {
        user.totpEnabled
            ? "Confirm it is you: give your current password and a code from your authenticator app."
            : "Confirm it is you: give your current password."
    }
}
