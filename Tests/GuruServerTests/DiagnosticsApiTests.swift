import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Diagnostics reports over HTTP (docs/api.md, Diagnostics), on every backend: stored for the session's
/// machine, listed, read and downloaded behind the session's access rules, checked before anything is
/// stored, throttled per user and machine, and audited.
@Suite("Diagnostics reports over HTTP")
struct DiagnosticsApiTests {
    static func reports(_ client: any TestClientProtocol, _ path: String, as caller: Caller) async throws -> [[String: Any]] {
        let response = try await client.call(.get, path, as: caller)
        #expect(response.status == .ok, "list \(path)")
        return try #require(try client.json(response)["reports"] as? [[String: Any]])
    }

    static func audit(_ server: GuruServerApp, _ action: String) async throws -> [AuditEvent] {
        try await server.store.audit.list(AuditFilter(actionPrefix: action, limit: 100, offset: 0)).events.filter { $0.action == action }
    }

    /// A support session of `owner` that the agent has joined: live, so it may be collected from.
    static func liveSupportSession(_ client: any TestClientProtocol, _ server: GuruServerApp, owner: Caller, visibility: String = "private") async throws -> String {
        let created = try await client.call(.post, "/api/support/sessions", as: owner, json: #"{"assigned":true,"visibility":"\#(visibility)"}"#)
        #expect(created.status == .created)
        let id = try #require(try client.json(created)["id"] as? String)
        #expect(try await server.store.support.transition(id: id, from: [.pending], to: .connected, at: .now, reason: nil))
        return id
    }

    @Test(arguments: ServerBackend.available)
    func anAccessReportIsStoredListedReadDownloadedAndAudited(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let agent = try await client.enrolAgent("RECEPTION-PC", admin: admin)
            let sent = DiagnosticsFixtures.report(host: "RECEPTION PC/1")
            let stored = try await client.postReport("/api/agents/\(agent)/diagnostics", as: tech, sent)
            #expect(stored.status == .created)
            let body = try client.json(stored)
            let id = try #require(body["id"] as? String)
            #expect(body["agentId"] as? String == agent && body["sessionKind"] as? String == "access" && body["sessionId"] as? String == agent)
            #expect(body["hostName"] as? String == "RECEPTION PC/1" && body["collectedByName"] as? String == "tech")
            #expect(body["sizeBytes"] as? Int == sent.utf8.count)

            let listed = try await Self.reports(client, "/api/agents/\(agent)/diagnostics", as: admin)
            #expect(listed.map { $0["id"] as? String } == [id])
            let meta = try await client.call(.get, "/api/diagnostics/\(id)", as: tech)
            #expect(meta.status == .ok)
            #expect(try client.json(meta)["hostName"] as? String == "RECEPTION PC/1")

            let download = try await client.call(.get, "/api/diagnostics/\(id)/json", as: tech)
            #expect(download.status == .ok)
            #expect(String(buffer: download.body) == sent, "the JSON exactly as the viewer uploaded it")
            let disposition = try #require(download.headers[.contentDisposition])
            #expect(disposition.hasPrefix(#"attachment; filename="diagnostics-RECEPTION_PC_1-"#) && disposition.hasSuffix(#"Z.json""#), "\(disposition)")

            let collected = try #require(try await Self.audit(server, "diagnostics.collect").first)
            #expect(collected.outcome == .success && collected.actorName == "tech" && collected.target == agent)
            #expect(collected.detail?.contains(id) == true && collected.detail?.contains("\(sent.utf8.count) bytes") == true)
            #expect(try await Self.audit(server, "diagnostics.download").count == 1)
        }
    }

    @Test(arguments: ServerBackend.available)
    func supportReportsFollowTheSessionsAccessRules(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { server, client, admin async throws in
            let alice = try await client.makeUser("alice", role: "technician", admin: admin)
            let bob = try await client.makeUser("bob", role: "technician", admin: admin)
            let session = try await Self.liveSupportSession(client, server, owner: alice)
            let path = "/api/support/sessions/\(session)/diagnostics"

            // Bob may not see Alice's private session: to him it and its reports do not exist.
            #expect(try await client.postReport(path, as: bob).status == .notFound)
            let stored = try await client.postReport(path, as: alice)
            #expect(stored.status == .created)
            let id = try #require(try client.json(stored)["id"] as? String)
            #expect(try client.json(stored)["sessionKind"] as? String == "support")
            #expect(try client.json(stored)["agentId"] as? String == session, "the one-time agent's id is the session's")
            #expect(try await client.call(.get, path, as: bob).status == .notFound)
            #expect(try await client.call(.get, "/api/diagnostics/\(id)", as: bob).status == .notFound)
            #expect(try await client.call(.get, "/api/diagnostics/\(id)/json", as: bob).status == .notFound)
            // The admin sees every session, so every report.
            #expect(try await Self.reports(client, path, as: admin).count == 1)
            #expect(try await client.call(.get, "/api/diagnostics/\(id)/json", as: admin).status == .ok)
            // A support report is not an Access machine's: the machine list of a technician without
            // the session gets nothing through the agents route either.
            #expect(try await client.call(.get, "/api/agents/\(session)/diagnostics", as: bob).status == .notFound)

            // Only a live session: a pending code has no agent, an ended one no longer has it.
            let pending = try await client.call(.post, "/api/support/sessions", as: alice, json: #"{"assigned":true}"#)
            let pendingId = try #require(try client.json(pending)["id"] as? String)
            #expect(try await client.postReport("/api/support/sessions/\(pendingId)/diagnostics", as: alice).status == .forbidden)
            #expect(try await client.call(.post, "/api/support/sessions/\(session)/end", as: alice, json: "{}").status == .noContent)
            let ended = try await client.postReport(path, as: alice)
            #expect(ended.status == .forbidden)
            #expect(try client.json(ended)["message"] as? String == "This session has ended.")
            // Reading stays possible after the end, and the Support list says the session has a report.
            #expect(try await Self.reports(client, path, as: alice).count == 1)
            let listed = try await SupportApiTests.list(client, as: alice).first { $0["id"] as? String == session }
            #expect(listed?["diagnosticsCount"] as? Int == 1 && listed?["latestDiagnosticsId"] as? String == id)
            let other = try await SupportApiTests.list(client, as: alice).first { $0["id"] as? String == pendingId }
            #expect(other?["diagnosticsCount"] as? Int == 0 && other?["latestDiagnosticsId"] == nil)
            #expect(try await Self.audit(server, "diagnostics.collect").filter { $0.outcome == .denied }.count == 2)
            #expect(try await server.store.diagnostics.list(sessionKind: .support, sessionId: session, limit: 10).count == 1)
        }
    }

    @Test func everyRoleGetsWhatItsPermissionsAllow() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let auditorRole = try await client.call(.post, "/api/roles", as: admin, json: #"{"name":"Auditor","permissions":["viewAudit"]}"#)
            let auditorRoleId = try #require(try client.json(auditorRole)["id"] as? String)
            let agent = try await client.enrolAgent("FRONT-DESK", admin: admin)
            let seeded = try await client.postReport("/api/agents/\(agent)/diagnostics", as: admin)
            let id = try #require(try client.json(seeded)["id"] as? String)
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            // Every built-in role holds accessUnattended; a role without it reaches no Access report.
            let callers: [(Caller, allowed: Bool, signedIn: Bool)] = [
                (.anonymous, false, false),
                (tech, true, true),
                (try await client.makeUser("senior", role: "senior", admin: admin), true, true),
                (admin, true, true),
                (try await client.makeUser("auditor", role: auditorRoleId, admin: admin), false, true),
                (try await client.makeApiKey(for: tech, name: "tech key").caller, true, true),
            ]
            for (caller, allowed, signedIn) in callers {
                let denied: HTTPResponse.Status = signedIn ? .forbidden : .unauthorized
                let post = try await client.postReport("/api/agents/\(agent)/diagnostics", as: caller)
                #expect(post.status == (allowed ? .created : denied), "\(caller) POST: \(post.status)")
                let list = try await client.call(.get, "/api/agents/\(agent)/diagnostics", as: caller)
                #expect(list.status == (allowed ? .ok : denied), "\(caller) list: \(list.status)")
                // One report, read by id: a signed-in caller without the right gets 404, as if there were none.
                for route in ["/api/diagnostics/\(id)", "/api/diagnostics/\(id)/json"] {
                    let read = try await client.call(.get, route, as: caller)
                    #expect(read.status == (allowed ? .ok : signedIn ? .notFound : .unauthorized), "\(caller) \(route): \(read.status)")
                }
            }
            // A cookie session needs the CSRF token to store one.
            let noCSRF = try await client.call(.post, "/api/agents/\(agent)/diagnostics", as: tech, json: DiagnosticsFixtures.report(), csrf: false)
            #expect(noCSRF.status == .forbidden)
            #expect(try await server.store.diagnostics.list(agentId: agent, limit: 100).count == 5, "the seed and the four allowed callers")
        }
    }

    @Test(arguments: ServerBackend.available)
    func malformedOversizedAndWrongSchemaReportsAreRefusedAndNothingIsStored(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { server, client, admin async throws in
            let agent = try await client.enrolAgent("RECEPTION-PC", admin: admin)
            let path = "/api/agents/\(agent)/diagnostics"
            let valid = DiagnosticsFixtures.report()
            let refused: [(String, HTTPResponse.Status, String)] = [
                ("{not json", .badRequest, "not valid JSON"),
                ("", .badRequest, "empty"),
                ("[1,2]", .unprocessableContent, "JSON object"),
                (DiagnosticsFixtures.report(schema: "2"), .unprocessableContent, "schema"),
                (DiagnosticsFixtures.report(schema: #""1""#), .unprocessableContent, "schema"),
                (DiagnosticsFixtures.report(schema: "true"), .unprocessableContent, "schema"),
                (valid.replacingOccurrences(of: #""agentVersion":"0.9.0","#, with: ""), .unprocessableContent, "agentVersion"),
                (valid.replacingOccurrences(of: #""name":"RECEPTION-PC""#, with: #""name":42"#), .unprocessableContent, "name"),
                (valid.replacingOccurrences(of: #""name":"RECEPTION-PC""#, with: #""name":"""#), .unprocessableContent, "host.name"),
                (valid.replacingOccurrences(of: #""uptimeSeconds":12345"#, with: #""uptimeSeconds":true"#), .unprocessableContent, "uptimeSeconds"),
                (valid.replacingOccurrences(of: #""cpu":{"#, with: #""cpu":"busy","ignored":{"#), .unprocessableContent, "cpu"),
                (valid.replacingOccurrences(of: #""disks":["#, with: #""disks":"none","ignored":["#), .unprocessableContent, "disks"),
                (valid.replacingOccurrences(of: #""sectionErrors":{}"#, with: #""sectionErrors":{"cpu":1}"#), .unprocessableContent, "sectionErrors"),
                (valid.replacingOccurrences(of: #""pendingReboot":{"pending":false,"reasons":[]},"#, with: ""), .unprocessableContent, "pendingReboot"),
                (DiagnosticsFixtures.report(ofSize: DiagnosticReportValidator.maxBytes + 1), .contentTooLarge, "at most"),
            ]
            for (body, status, words) in refused {
                let response = try await client.postReport(path, as: admin, body)
                #expect(response.status == status, "\(body.prefix(60)): \(response.status)")
                #expect((try client.json(response)["message"] as? String)?.contains(words) == true, "\(String(buffer: response.body))")
            }
            let notJSON = try await client.call(.post, path, as: admin, json: valid, headers: [.contentType: "text/plain"])
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(try await server.store.diagnostics.list(agentId: agent, limit: 100).isEmpty)
            #expect(try await Self.audit(server, "diagnostics.collect").isEmpty)

            // A failed section is null and named in sectionErrors: that is a valid report.
            let partial = valid.replacingOccurrences(of: #""recentErrors":[{"time":"2026-12-03T19:59:00Z","source":"kernel","message":"café ✓ "}]"#, with: #""recentErrors":null"#)
                .replacingOccurrences(of: #""sectionErrors":{}"#, with: #""sectionErrors":{"recentErrors":"the system log cannot be read"}"#)
            #expect(partial.contains(#""recentErrors":null"#))
            #expect(try await client.postReport(path, as: admin, partial).status == .created)
            // The largest report fits exactly.
            let largest = DiagnosticsFixtures.report(ofSize: DiagnosticReportValidator.maxBytes)
            #expect(largest.utf8.count == 262_144)
            let stored = try await client.postReport(path, as: admin, largest)
            #expect(stored.status == .created)
            #expect(try client.json(stored)["sizeBytes"] as? Int == 262_144)
        }
    }

    @Test func unknownMachinesSessionsAndReportsAre404() async throws {
        try await TestServer.withAdmin { _, client, admin async throws in
            let nobody = String(repeating: "0", count: 32)
            #expect(try await client.postReport("/api/agents/\(nobody)/diagnostics", as: admin).status == .notFound)
            #expect(try await client.call(.get, "/api/agents/\(nobody)/diagnostics", as: admin).status == .notFound)
            #expect(try await client.postReport("/api/support/sessions/\(nobody)/diagnostics", as: admin).status == .notFound)
            #expect(try await client.call(.get, "/api/support/sessions/\(nobody)/diagnostics", as: admin).status == .notFound)
            #expect(try await client.call(.get, "/api/diagnostics/\(nobody)", as: admin).status == .notFound)
            #expect(try await client.call(.get, "/api/diagnostics/\(nobody)/json", as: admin).status == .notFound)
        }
    }

    @Test func uploadsAreThrottledPerUserAndMachine() async throws {
        try await TestServer.withAdmin { _, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let first = try await client.enrolAgent("ONE", admin: admin)
            let second = try await client.enrolAgent("TWO", admin: admin)
            for _ in 0..<Int(DiagnosticsUploadThrottle.policy.burst) {
                #expect(try await client.postReport("/api/agents/\(first)/diagnostics", as: tech).status == .created)
            }
            let throttled = try await client.postReport("/api/agents/\(first)/diagnostics", as: tech)
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Another machine, or another technician on the same machine, is not held back.
            #expect(try await client.postReport("/api/agents/\(second)/diagnostics", as: tech).status == .created)
            #expect(try await client.postReport("/api/agents/\(first)/diagnostics", as: admin).status == .created)
            // A refused report costs nothing.
            #expect(try await client.postReport("/api/agents/\(second)/diagnostics", as: tech, "{").status == .badRequest)
        }
    }
}
