import Foundation
import Testing
@testable import GuruStore

/// One suite, every backend: the SQLite and PostgreSQL stores must behave alike.
@Suite("Store on every backend")
struct StoreSuiteTests {
    @Test(arguments: Backend.available)
    func migrationsAreIdempotentAndSeedBuiltins(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.prepare()
            let roles = try await store.roles.list()
            #expect(roles.map(\.id) == ["technician", "senior", "admin"])
            #expect(roles.first { $0.id == "admin" }?.permissions == .all)
            #expect(roles.first { $0.id == "technician" }?.permissions.contains(.viewAllSessions) == false)
            #expect(roles.first { $0.id == "senior" }?.permissions.contains(.joinTeamSessions) == true)
        }
    }

    @Test(arguments: Backend.available)
    func firstAdminIsCreatedExactlyOnce(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.users.isSetupComplete() == false)
            try await store.users.createFirstAdmin(makeUser("root", role: "admin"))
            #expect(try await store.users.isSetupComplete())
            await #expect(throws: StoreError.self) {
                try await store.users.createFirstAdmin(makeUser("intruder", role: "admin"))
            }
            #expect(try await store.users.find(username: "intruder") == nil)
            #expect(try await store.users.list().count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func usersRoundTripAndUsernamesAreUnique(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("alice")
            try await store.users.create(user)
            let loaded = try #require(try await store.users.find(id: user.id))
            #expect(loaded == user)
            await #expect(throws: StoreError.self) { try await store.users.create(makeUser("alice")) }
            var renamed = user
            renamed.displayName = "Alice A."
            #expect(try await store.users.update(id: user.id, UserChanges(displayName: "Alice A.")) == renamed)
            #expect(try await store.users.find(username: "alice") == renamed)
            try await store.users.delete(id: user.id)
            #expect(try await store.users.find(id: user.id) == nil)
            await #expect(throws: StoreError.notFound) { try await store.users.delete(id: user.id) }
        }
    }

    @Test(arguments: Backend.available)
    func totpStepsCannotBeReplayed(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("bob")
            try await store.users.create(user)
            #expect(try await store.users.advanceTotpStep(userId: user.id, to: 100))
            #expect(try await store.users.advanceTotpStep(userId: user.id, to: 100) == false)
            #expect(try await store.users.advanceTotpStep(userId: user.id, to: 99) == false)
            #expect(try await store.users.advanceTotpStep(userId: user.id, to: 101))
        }
    }

    @Test(arguments: Backend.available)
    func recoveryCodesAreSingleUse(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("carol")
            try await store.users.create(user)
            try await store.users.replaceRecoveryCodes(userId: user.id, hashes: (0..<10).map { "hash\($0)" })
            #expect(try await store.users.remainingRecoveryCodes(userId: user.id) == 10)
            #expect(try await store.users.consumeRecoveryCode(userId: user.id, hash: "hash3", at: .now))
            #expect(try await store.users.consumeRecoveryCode(userId: user.id, hash: "hash3", at: .now) == false)
            #expect(try await store.users.consumeRecoveryCode(userId: user.id, hash: "nope", at: .now) == false)
            #expect(try await store.users.remainingRecoveryCodes(userId: user.id) == 9)
        }
    }

    @Test(arguments: Backend.available)
    func apiKeysRevokeOnceAndOnlyByOwner(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let owner = makeUser("dave")
            let other = makeUser("erin")
            try await store.users.create(owner)
            try await store.users.create(other)
            let key = ApiKey(id: "k1", userId: owner.id, name: "PSA", secretHash: "h", createdAt: .now)
            try await store.apiKeys.create(key)
            #expect(try await store.apiKeys.list(userId: owner.id).map(\.id) == ["k1"])
            await #expect(throws: StoreError.notFound) { try await store.apiKeys.revoke(id: "k1", userId: other.id, at: .now) }
            try await store.apiKeys.revoke(id: "k1", userId: owner.id, at: .now)
            await #expect(throws: StoreError.notFound) { try await store.apiKeys.revoke(id: "k1", userId: owner.id, at: .now) }
            let revoked = try #require(try await store.apiKeys.find(id: "k1"))
            #expect(revoked.isActive(at: .now) == false)
        }
    }

    @Test(arguments: Backend.available)
    func webSessionsSignOutEverywhereElse(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let user = makeUser("frank")
            try await store.users.create(user)
            for token in ["a", "b", "c"] {
                #expect(try await store.webSessions.create(WebSession(
                    tokenHash: token, userId: user.id, createdAt: .now, lastSeenAt: .now,
                    expiresAt: .now.addingTimeInterval(3600), sourceAddress: "127.0.0.1", userAgent: nil
                ), requiringPasswordHash: user.passwordHash))
            }
            try await store.webSessions.deleteAll(userId: user.id, keeping: "b")
            #expect(try await store.webSessions.find(tokenHash: "a") == nil)
            #expect(try await store.webSessions.find(tokenHash: "b") != nil)
            try await store.webSessions.purgeExpired(before: .now.addingTimeInterval(7200))
            #expect(try await store.webSessions.find(tokenHash: "b") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func auditIsFilterableAndAppendOnly(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let base = Date(milliseconds: 1_700_000_000_000)
            for (index, action) in ["auth.login", "auth.login", "user.create", "settings.update"].enumerated() {
                try await store.audit.append(AuditEvent(
                    at: base.addingTimeInterval(Double(index)), actorId: "u1", actorName: index == 1 ? "mallory" : "mike",
                    sourceAddress: "10.0.0.1", action: action, target: nil,
                    outcome: index == 1 ? .failure : .success, detail: nil
                ))
            }
            let all = try await store.audit.list(AuditFilter())
            #expect(all.total == 4)
            #expect(all.events.first?.action == "settings.update")
            #expect(try await store.audit.list(AuditFilter(actionPrefix: "auth.")).total == 2)
            #expect(try await store.audit.list(AuditFilter(actionPrefix: "auth%")).total == 0)
            #expect(try await store.audit.list(AuditFilter(outcome: .failure)).events.map(\.actorName) == ["mallory"])
            #expect(try await store.audit.list(AuditFilter(since: base.addingTimeInterval(2))).total == 2)
            #expect(try await store.audit.list(AuditFilter(limit: 1, offset: 1)).events.map(\.action) == ["user.create"])
            await #expect(throws: StoreError.self) { try await store.database.query("DELETE FROM audit_events", []) }
            await #expect(throws: StoreError.self) { try await store.database.query("UPDATE audit_events SET action = 'x'", []) }
            #expect(try await store.audit.list(AuditFilter()).total == 4)
        }
    }

    @Test(arguments: Backend.available)
    func customRolesAndBuiltinsAreProtected(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let role = Role(id: "helpdesk", name: "Helpdesk", builtin: false, permissions: [.createSupportCode], createdAt: .now)
            try await store.roles.create(role)
            var edited = role
            edited.permissions = [.createSupportCode, .viewAudit]
            try await store.roles.update(edited)
            #expect(try await store.roles.find(id: "helpdesk")?.permissions == edited.permissions)
            var admin = try #require(try await store.roles.find(id: "admin"))
            admin.permissions = []
            await #expect(throws: StoreError.notFound) { try await store.roles.update(admin) }
            try await store.users.create(makeUser("gina", role: "helpdesk"))
            await #expect(throws: StoreError.self) { try await store.roles.delete(id: "helpdesk") }
            await #expect(throws: StoreError.notFound) { try await store.roles.delete(id: "admin") }
        }
    }

    @Test(arguments: Backend.available)
    func teamsCountMembersAndReleaseThemOnDelete(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.teams.create(Team(id: "t1", name: "Phoenix", createdAt: .now))
            let member = makeUser("hank", team: "t1")
            try await store.users.create(member)
            #expect(try await store.teams.list().first?.memberCount == 1)
            await #expect(throws: StoreError.self) { try await store.teams.create(Team(id: "t2", name: "Phoenix", createdAt: .now)) }
            try await store.teams.rename(id: "t1", to: "Tucson")
            #expect(try await store.teams.find(id: "t1")?.name == "Tucson")
            try await store.teams.delete(id: "t1")
            #expect(try await store.users.find(id: member.id)?.teamId == nil)
        }
    }

    @Test(arguments: Backend.available)
    func settingsRoundTrip(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.settings.load() == ServerSettings())
            let settings = ServerSettings(companyName: "Glaztech IT", defaultVisibility: .private, consentRequired: false, sessionIdleMinutes: 15)
            try await store.settings.save(settings)
            try await store.settings.save(settings)
            #expect(try await store.settings.load() == settings)
        }
    }
}

@Suite("Agents on every backend")
struct AgentStoreTests {
    @Test(arguments: Backend.available)
    func agentsRoundTrip(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let agent = AgentRecord(
                id: String(repeating: "ab", count: 16), name: "FRONT-DESK", credentialHash: "h",
                createdAt: Date(milliseconds: 1_700_000_000_000), createdBy: "admin"
            )
            try await store.agents.create(agent)
            #expect(try await store.agents.find(id: agent.id) == agent)
            try await store.agents.markSeen(id: agent.id, at: Date(milliseconds: 1_700_000_100_000), agentVersion: "0.1.0")
            #expect(try await store.agents.list().first?.agentVersion == "0.1.0")
            await #expect(throws: StoreError.self) { try await store.agents.create(agent) }
            try await store.agents.delete(id: agent.id)
            await #expect(throws: StoreError.notFound) { try await store.agents.delete(id: agent.id) }
        }
    }
}
