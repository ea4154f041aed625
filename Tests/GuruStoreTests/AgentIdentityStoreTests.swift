import Foundation
import Testing
@testable import GuruStore

/// Identity keys bound on first use, and one-time download tickets, on every backend.
@Suite("Agent identities and support downloads on every backend")
struct AgentIdentityStoreTests {
    static let sessionId = String(format: "%032x", 77)

    static func session() -> SupportSession {
        SupportSession(id: sessionId, code: "123123", ownerId: "owner", createdBy: "owner", visibility: .team, createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test(arguments: Backend.available)
    func theFirstKeyIsBoundAndNoOtherReplacesIt(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.support.create(Self.session())
            let subject = AgentIdentitySubject.supportSession(id: Self.sessionId)
            #expect(try await store.identities.key(of: subject) == nil)
            #expect(try await store.identities.bind(subject, key: "aa") == .boundNow)
            #expect(try await store.identities.bind(subject, key: "aa") == .matches)
            #expect(try await store.identities.bind(subject, key: "bb") == .mismatch)
            #expect(try await store.identities.key(of: subject) == "aa")
            #expect(try await store.identities.bind(.supportSession(id: String(format: "%032x", 78)), key: "aa") == .notFound)

            let agentId = String(format: "%032x", 5)
            try await store.agents.create(AgentRecord(id: agentId, name: "pc", credentialHash: "h", createdAt: .now, createdBy: nil))
            #expect(try await store.identities.bind(.enrolledAgent(id: agentId), key: "cc") == .boundNow)
            #expect(try await store.identities.bind(.enrolledAgent(id: agentId), key: "aa") == .mismatch)
            // The session's key and the agent's are separate columns.
            #expect(try await store.identities.key(of: subject) == "aa")
        }
    }

    @Test(arguments: Backend.available)
    func aResetForgetsTheKeySoTheNextOneBinds(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let agentId = String(format: "%032x", 6)
            try await store.agents.create(AgentRecord(id: agentId, name: "pc", credentialHash: "h", createdAt: .now, createdBy: nil))
            let subject = AgentIdentitySubject.enrolledAgent(id: agentId)
            #expect(try await store.identities.reset(subject) == nil)
            #expect(try await store.identities.bind(subject, key: "aa") == .boundNow)
            #expect(try await store.agents.find(id: agentId)?.identityKey == "aa")
            #expect(try await store.identities.reset(subject) == "aa")
            #expect(try await store.agents.find(id: agentId)?.identityKey == nil)
            #expect(try await store.identities.bind(subject, key: "bb") == .boundNow)
            #expect(try await store.identities.bind(subject, key: "aa") == .mismatch)
            await #expect(throws: StoreError.notFound) {
                try await store.identities.reset(.enrolledAgent(id: String(format: "%032x", 7)))
            }
        }
    }

    @Test(arguments: Backend.available)
    func concurrentFirstBindsLetExactlyOneKeyWin(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.support.create(Self.session())
            let subject = AgentIdentitySubject.supportSession(id: Self.sessionId)
            let outcomes = try await withThrowingTaskGroup(of: AgentKeyBinding.self) { group in
                for index in 0..<8 { group.addTask { try await store.identities.bind(subject, key: "key\(index)") } }
                var all: [AgentKeyBinding] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == .boundNow }.count == 1)
            #expect(outcomes.filter { $0 == .mismatch }.count == 7)
        }
    }

    @Test(arguments: Backend.available)
    func aTicketIsSpentOnceAndKeepsItsDownloadsSecretHash(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.support.create(Self.session())
            let now = Date()
            try await store.supportDownloads.issue(ticketHash: "t1", sessionId: Self.sessionId, at: now, expiresAt: now + 600, limit: 3)
            #expect(try await store.supportDownloads.redeem(ticketHash: "t1", secretHash: "s1", at: now) == Self.sessionId)
            #expect(try await store.supportDownloads.redeem(ticketHash: "t1", secretHash: "s2", at: now) == nil)
            #expect(try await store.supportDownloads.hasSecret(sessionId: Self.sessionId, secretHash: "s1"))
            #expect(try await store.supportDownloads.hasSecret(sessionId: Self.sessionId, secretHash: "s2") == false)
            #expect(try await store.supportDownloads.hasSecret(sessionId: String(format: "%032x", 78), secretHash: "s1") == false)
            #expect(try await store.supportDownloads.redeem(ticketHash: "unknown", secretHash: "s3", at: now) == nil)

            // Expired tickets are not spendable and are purged; the limit counts what is left.
            try await store.supportDownloads.issue(ticketHash: "t2", sessionId: Self.sessionId, at: now, expiresAt: now + 1, limit: 3)
            #expect(try await store.supportDownloads.redeem(ticketHash: "t2", secretHash: "s4", at: now + 2) == nil)
            try await store.supportDownloads.issue(ticketHash: "t3", sessionId: Self.sessionId, at: now + 2, expiresAt: now + 600, limit: 3)
            try await store.supportDownloads.issue(ticketHash: "t4", sessionId: Self.sessionId, at: now + 2, expiresAt: now + 600, limit: 3)
            await #expect(throws: StoreError.self) {
                try await store.supportDownloads.issue(ticketHash: "t5", sessionId: Self.sessionId, at: now + 2, expiresAt: now + 600, limit: 3)
            }
        }
    }
}

/// Inventory, metadata and the attention flag, on every backend.
@Suite("Agent inventory on every backend")
struct AgentInventoryStoreTests {
    @Test(arguments: Backend.available)
    func anInventoryRoundTripsAndReturnsTheMetadataItReplaced(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let id = String(format: "%032x", 9)
            let enrolled = MachineMetadata(company: "Glaztech", site: "Phoenix", deviceType: .server, properties: ["Asset": "A-1"])
            try await store.agents.create(AgentRecord(id: id, name: "pc", credentialHash: "h", createdAt: .now, createdBy: nil, metadata: enrolled))
            #expect(try await store.agents.find(id: id)?.metadata == enrolled)
            let at = Date(timeIntervalSince1970: 1_800_000_000)
            let inventory = MachineInventory(
                hostname: "PC-1", osName: "Windows 11 Pro", osVersion: "10.0", osBuild: "22631", osInstalledAt: at, manufacturer: "Dell",
                model: "7090", serial: "SN1", serviceTag: "ST1", cpu: "i7", ramBytes: 16 << 30, bootAt: at, loggedOnUser: "ann",
                idleSeconds: 4, internalIPs: ["10.0.0.5", "fe80::1"], macs: ["aa:bb:cc:dd:ee:ff"], externalIP: "203.0.113.9",
                json: #"{"hostname":"PC-1"}"#, reportedAt: at
            )
            var changed = enrolled
            changed.site = "New York"
            changed.name = "Front desk"
            #expect(try await store.agents.updateInventory(id: id, inventory: inventory, metadata: changed) == enrolled)
            let found = try #require(try await store.agents.find(id: id))
            #expect(found.inventory == inventory)
            #expect(found.metadata == changed && found.displayName == "Front desk")
            try await store.agents.markSeen(id: id, at: at, agentVersion: "1.0")
            try await store.agents.markSeen(id: id, at: at.addingTimeInterval(60), agentVersion: "1.0")
            try await store.agents.markAccessed(id: id, at: at)
            try await store.agents.setAttention(id: id, flagged: true, note: "disk full")
            let seen = try #require(try await store.agents.find(id: id))
            #expect(seen.firstSeenAt == at && seen.lastSeenAt == at.addingTimeInterval(60) && seen.lastAccessedAt == at)
            #expect(seen.attention && seen.attentionNote == "disk full")
            try await store.agents.setAttention(id: id, flagged: false, note: "ignored")
            #expect(try await store.agents.find(id: id)?.attentionNote == nil)
            await #expect(throws: StoreError.notFound) {
                try await store.agents.updateInventory(id: String(format: "%032x", 10), inventory: inventory, metadata: changed)
            }
            await #expect(throws: StoreError.notFound) { try await store.agents.setAttention(id: String(format: "%032x", 10), flagged: true, note: nil) }
        }
    }
}
