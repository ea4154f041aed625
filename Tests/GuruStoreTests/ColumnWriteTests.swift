import Foundation
import Testing
@testable import GuruStore

/// Every change writes only its own columns, and a change that depends on what was read checks it in the
/// same statement: a request holding an old copy of a row can never write that copy back (issue #11).
@Suite("Column-specific writes on every backend")
struct ColumnWriteTests {
    @Test(arguments: Backend.available)
    func aProfileEditLeavesEveryOtherColumnAsAnotherWriterLeftIt(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("hank")
            try await store.users.create(user)
            // An administrator disables the account and resets its password…
            _ = try await store.users.update(id: user.id, UserChanges(disabled: true))
            #expect(try await store.users.setPasswordHash(userId: user.id, to: "reset-hash", expected: nil))
            // …while another edit, started from the old row, renames it and moves it to a team-less state.
            let renamed = try await store.users.update(id: user.id, UserChanges(displayName: "Hank H.", teamId: .some(nil)))
            #expect(renamed.disabled)
            #expect(renamed.passwordHash == "reset-hash")
            #expect(renamed.displayName == "Hank H.")
            #expect(renamed.roleId == user.roleId)
            let demoted = try await store.users.update(id: user.id, UserChanges(roleId: "admin"))
            #expect(demoted.roleId == "admin" && demoted.disabled && demoted.displayName == "Hank H.")
            #expect(try await store.users.update(id: user.id, UserChanges()) == demoted)
            await #expect(throws: StoreError.notFound) { try await store.users.update(id: "nobody", UserChanges(disabled: true)) }
        }
    }

    @Test(arguments: Backend.available)
    func aLoginIsRecordedOnlyWhileTheAccountStillHasTheVerifiedPasswordAndIsEnabled(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("ivy")
            try await store.users.create(user)
            let at = Date(milliseconds: 1_700_000_900_000)
            let signedIn = try #require(try await store.users.recordLogin(userId: user.id, verifiedPasswordHash: user.passwordHash, at: at))
            #expect(signedIn.lastLoginAt == at)

            _ = try await store.users.update(id: user.id, UserChanges(disabled: true))
            #expect(try await store.users.recordLogin(userId: user.id, verifiedPasswordHash: user.passwordHash, at: .now) == nil)
            #expect(try await store.users.find(id: user.id)?.disabled == true)

            _ = try await store.users.update(id: user.id, UserChanges(disabled: false))
            #expect(try await store.users.setPasswordHash(userId: user.id, to: "new", expected: nil))
            #expect(try await store.users.recordLogin(userId: user.id, verifiedPasswordHash: user.passwordHash, at: .now) == nil)
            #expect(try await store.users.recordLogin(userId: user.id, verifiedPasswordHash: "new", at: .now) != nil)
        }
    }

    @Test(arguments: Backend.available)
    func aPasswordChangeThatExpectsTheOldHashDoesNotUndoAReset(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("jack")
            try await store.users.create(user)
            #expect(try await store.users.setPasswordHash(userId: user.id, to: "admin-reset", expected: nil))
            #expect(try await store.users.setPasswordHash(userId: user.id, to: "mine", expected: user.passwordHash) == false)
            #expect(try await store.users.find(id: user.id)?.passwordHash == "admin-reset")
            #expect(try await store.users.setPasswordHash(userId: user.id, to: "mine", expected: "admin-reset"))
            #expect(try await store.users.setPasswordHash(userId: "nobody", to: "x", expected: nil) == false)
        }
    }

    @Test(arguments: Backend.available)
    func aWebSessionStartsOnlyForAnEnabledAccountWithTheVerifiedPassword(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("kate")
            try await store.users.create(user)
            func session(_ token: String) -> WebSession {
                WebSession(
                    tokenHash: token, userId: user.id, createdAt: .now, lastSeenAt: .now,
                    expiresAt: .now.addingTimeInterval(3600), sourceAddress: nil, userAgent: nil
                )
            }
            #expect(try await store.webSessions.create(session("ok"), requiringPasswordHash: user.passwordHash))
            #expect(try await store.webSessions.create(session("stale"), requiringPasswordHash: "other") == false)
            _ = try await store.users.update(id: user.id, UserChanges(disabled: true))
            #expect(try await store.webSessions.create(session("disabled"), requiringPasswordHash: user.passwordHash) == false)
            #expect(try await store.webSessions.find(tokenHash: "ok") != nil)
            #expect(try await store.webSessions.find(tokenHash: "stale") == nil)
            #expect(try await store.webSessions.find(tokenHash: "disabled") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func twoFactorEnrolmentIsConfirmedOnlyWithTheSecretStillPending(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("liam")
            try await store.users.create(user)
            #expect(try await store.users.setPendingTotpSecret(userId: user.id, sealed: "first"))
            #expect(try await store.users.setPendingTotpSecret(userId: user.id, sealed: "second"))
            // A confirmation of the first enrolment, started before the second, must not switch on a secret
            // the user's authenticator no longer shows.
            #expect(try await store.users.confirmTotp(userId: user.id, pendingSecret: "first", step: 10) == false)
            #expect(try await store.users.confirmTotp(userId: user.id, pendingSecret: "second", step: 10))
            let enabled = try #require(try await store.users.find(id: user.id))
            #expect(enabled.totpSecret == "second" && enabled.totpPendingSecret == nil && enabled.totpLastStep == 10)
            #expect(try await store.users.setPendingTotpSecret(userId: user.id, sealed: "third") == false)
            try await store.users.clearTotp(userId: user.id)
            let cleared = try #require(try await store.users.find(id: user.id))
            #expect(cleared.totpSecret == nil && cleared.totpPendingSecret == nil)
            await #expect(throws: StoreError.notFound) { try await store.users.clearTotp(userId: "nobody") }
        }
    }

    @Test(arguments: Backend.available)
    func aSupportSessionIsClaimedOnceAndTransferredOnlyWhileActive(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let session = SupportSession(
                id: String(format: "%032x", 77), code: "777777", ownerId: nil, createdBy: "portal", visibility: .team,
                createdAt: Date(timeIntervalSince1970: 1_800_000_000)
            )
            try await store.support.create(session)
            #expect(try await store.support.claim(id: session.id, by: "first"))
            #expect(try await store.support.claim(id: session.id, by: "second") == false)
            #expect(try await store.support.find(id: session.id)?.ownerId == "first")
            try await store.support.setMachineName(id: session.id, "PC-1")
            #expect(try await store.support.transfer(id: session.id, to: "third"))
            let moved = try #require(try await store.support.find(id: session.id))
            #expect(moved.ownerId == "third" && moved.machineName == "PC-1" && moved.status == .pending)
            #expect(try await store.support.transition(id: session.id, from: SupportSession.Status.active, to: .ended, at: .now, reason: "done"))
            #expect(try await store.support.transfer(id: session.id, to: "fourth") == false)
            #expect(try await store.support.find(id: session.id)?.ownerId == "third")
        }
    }
}
