import Foundation
import Testing
@testable import GuruStore

/// Support sessions on every backend: a code is held while its session is active and released after.
@Suite("Support sessions on every backend")
struct SupportStoreTests {
    static func session(_ id: Int, code: String, expiresAt: Date? = nil) -> SupportSession {
        SupportSession(
            id: String(format: "%032x", id), code: code, ownerId: "owner", createdBy: "owner", visibility: .team,
            createdAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(id)), expiresAt: expiresAt
        )
    }

    @Test(arguments: Backend.available)
    func anActiveCodeCannotBeIssuedTwiceButIsReleasedAfter(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.support.create(Self.session(1, code: "042042"))
            await #expect(throws: StoreError.self) { try await store.support.create(Self.session(2, code: "042042")) }
            #expect(try await store.support.activeCodes() == ["042042"])
            #expect(try await store.support.findActive(code: "042042")?.id == Self.session(1, code: "").id)

            let now = Date()
            #expect(try await store.support.transition(id: Self.session(1, code: "").id, from: [.pending], to: .waitingConsent, at: now, reason: nil))
            #expect(try await store.support.transition(id: Self.session(1, code: "").id, from: [.pending], to: .connected, at: now, reason: nil) == false)
            #expect(try await store.support.transition(id: Self.session(1, code: "").id, from: [.waitingConsent], to: .connected, at: now, reason: nil))
            let connected = try #require(try await store.support.find(id: Self.session(1, code: "").id))
            #expect(connected.status == .connected && connected.connectedAt != nil && connected.endedAt == nil)

            #expect(try await store.support.transition(id: connected.id, from: SupportSession.Status.active, to: .ended, at: now, reason: "done"))
            #expect(try await store.support.activeCodes().isEmpty)
            #expect(try await store.support.findActive(code: "042042") == nil)
            #expect(try await store.support.findLatest(code: "042042")?.status == .ended)
            // Released: the same code may now start a new session.
            try await store.support.create(Self.session(3, code: "042042"))
            #expect(try await store.support.findActive(code: "042042")?.id == Self.session(3, code: "").id)
        }
    }

    @Test(arguments: Backend.available)
    func pendingCodesExpireAndListingKeepsRecentEnds(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let now = Date()
            try await store.support.create(Self.session(1, code: "111111", expiresAt: now.addingTimeInterval(-1)))
            try await store.support.create(Self.session(2, code: "222222", expiresAt: now.addingTimeInterval(600)))
            try await store.support.create(Self.session(3, code: "333333"))
            #expect(try await store.support.expirePending(now: now) == [Self.session(1, code: "").id])
            #expect(try await store.support.find(id: Self.session(1, code: "").id)?.status == .expired)
            #expect(try await store.support.activeCodes() == ["222222", "333333"])
            #expect(try await store.support.list(endedSince: now.addingTimeInterval(-60)).count == 3)
            #expect(try await store.support.list(endedSince: now.addingTimeInterval(60)).count == 2)

            var transferred = try #require(try await store.support.find(id: Self.session(3, code: "").id))
            transferred.ownerId = "someone else"
            transferred.machineName = "SARAH-PC"
            #expect(try await store.support.transfer(id: transferred.id, to: "someone else"))
            try await store.support.setMachineName(id: transferred.id, "SARAH-PC")
            #expect(try await store.support.find(id: transferred.id) == transferred)
            let missing = String(repeating: "f", count: 32)
            await #expect(throws: StoreError.notFound) { try await store.support.setMachineName(id: missing, "X") }
            #expect(try await store.support.transfer(id: missing, to: "anyone") == false)
        }
    }
}
