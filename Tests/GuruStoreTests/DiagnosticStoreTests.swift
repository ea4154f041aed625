import Foundation
import Testing
@testable import GuruStore

/// Diagnostics reports on every backend: stored as uploaded, listed per machine and per session.
@Suite("Diagnostics reports on every backend")
struct DiagnosticStoreTests {
    static func report(_ n: Int, agent: String, kind: DiagnosticReport.SessionKind = .access, session: String? = nil) -> DiagnosticReport {
        DiagnosticReport(
            id: String(format: "%032x", n), agentId: agent, sessionKind: kind, sessionId: session ?? agent, collectedBy: "user-\(n % 2)",
            collectedAt: Date(milliseconds: 1_800_000_000_000 + Int64(n) * 1000), hostName: "HOST-\(n)",
            json: #"{"schema":1,"host":{"name":"HOST-\#(n)","os":"Ünïcode ✓"}}"#
        )
    }

    @Test(arguments: Backend.available)
    func reportsAreKeptAsUploadedAndListedNewestFirst(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let machine = String(repeating: "a", count: 32)
            let other = String(repeating: "b", count: 32)
            for n in 1...4 { try await store.diagnostics.create(Self.report(n, agent: machine)) }
            try await store.diagnostics.create(Self.report(5, agent: other, kind: .support))

            let found = try #require(try await store.diagnostics.find(id: Self.report(2, agent: machine).id))
            #expect(found == Self.report(2, agent: machine))
            #expect(found.sizeBytes == Int64(found.json.utf8.count) && found.sizeBytes > Int64(found.json.count), "bytes, not characters")
            #expect(try await store.diagnostics.find(id: String(repeating: "f", count: 32)) == nil)

            let listed = try await store.diagnostics.list(agentId: machine, limit: 3)
            #expect(listed.map(\.hostName) == ["HOST-4", "HOST-3", "HOST-2"])
            #expect(listed.first == Self.report(4, agent: machine).summary)
            #expect(try await store.diagnostics.list(agentId: other, limit: 10).map(\.sessionKind) == [.support])

            #expect(try await store.diagnostics.list(sessionKind: .support, sessionId: other, limit: 10).count == 1)
            #expect(try await store.diagnostics.list(sessionKind: .access, sessionId: other, limit: 10).isEmpty, "the kind is part of the session's key")
            #expect(try await store.diagnostics.list(sessionKind: .access, sessionId: machine, limit: 10).count == 4)
            let digests = try await store.diagnostics.digests(sessionKind: .access, sessionIds: [machine, other, "none"])
            #expect(digests == [machine: DiagnosticReportDigest(count: 4, latestId: Self.report(4, agent: machine).id)], "newest first; kinds apart")
            #expect(try await store.diagnostics.digests(sessionKind: .support, sessionIds: []).isEmpty)
            await #expect(throws: StoreError.self) { try await store.diagnostics.create(Self.report(1, agent: machine)) }
        }
    }
}
