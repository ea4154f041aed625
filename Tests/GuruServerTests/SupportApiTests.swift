import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

@Suite("Support sessions and the portal over HTTP")
struct SupportApiTests {
    /// A folder holding a stand-in agent binary, so downloads have something to append the trailer to.
    static let agentDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-agent-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("guruconnect-agent").path, contents: Data(Array("\u{7F}ELF agent".utf8) + SupportAgentTrailerTests.emptySlot))
        return directory.path
    }()

    static func create(_ client: any TestClientProtocol, as caller: Caller, _ body: String = #"{"assigned":true}"#) async throws -> [String: Any] {
        let response = try await client.call(.post, "/api/support/sessions", as: caller, json: body)
        #expect(response.status == .created)
        return try client.json(response)
    }

    static func list(_ client: any TestClientProtocol, as caller: Caller) async throws -> [[String: Any]] {
        let response = try await client.call(.get, "/api/support/sessions", as: caller)
        #expect(response.status == .ok)
        return try #require(try client.json(response)["sessions"] as? [[String: Any]])
    }

    @Test func codesAreListedByWhoMaySeeThemAndCancelledCodesSaySo() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let alice = try await client.makeUser("alice", role: "technician", admin: admin)
            let bob = try await client.makeUser("bob", role: "technician", admin: admin)
            let session = try await Self.create(client, as: alice, #"{"assigned":true,"visibility":"private"}"#)
            let id = try #require(session["id"] as? String)
            let code = try #require(session["code"] as? String)
            #expect(SupportCodes.isWellFormed(code))
            #expect((session["portalUrl"] as? String)?.hasSuffix("/?code=\(code)") == true)
            #expect(session["status"] as? String == "pending" && session["section"] as? String == "mine")

            #expect(try await Self.list(client, as: alice).map { $0["id"] as? String } == [id])
            #expect(try await Self.list(client, as: bob).isEmpty, "a private session of another technician is invisible")
            #expect(try await Self.list(client, as: admin).first?["section"] as? String == "team")
            // Bob cannot touch it: to him it does not exist.
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/cancel", as: bob, json: "{}").status == .notFound)
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/join", as: bob, json: "{}").status == .notFound)
            // A pending session cannot be joined, even by its owner.
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/join", as: alice, json: "{}").status == .forbidden)

            let portal = try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(code)"}"#)
            #expect(portal.status == .ok)
            #expect(try client.json(portal)["technician"] as? String == "alice")

            #expect(try await client.call(.post, "/api/support/sessions/\(id)/cancel", as: alice, json: "{}").status == .noContent)
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/cancel", as: alice, json: "{}").status == .forbidden)
            #expect(try await server.store.support.find(id: id)?.status == .cancelled)
            let cancelled = try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(code)"}"#)
            #expect(cancelled.status == .notFound)
            #expect((try client.json(cancelled)["message"] as? String ?? String(buffer: cancelled.body)).contains("cancelled"))
        }
    }

    @Test func wrongMalformedExpiredAndEndedCodesGetClearAnswers() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let body = { (code: String) in #"{"code":"\#(code)"}"# }
            #expect(try await client.call(.post, "/api/portal/code", json: body("12a456")).status == .badRequest)
            #expect(try await client.call(.post, "/api/portal/code", json: #"{"nope":1}"#).status == .badRequest)
            let session = try await Self.create(client, as: admin, #"{"assigned":true,"expiresInMinutes":5}"#)
            let code = try #require(session["code"] as? String)
            let id = try #require(session["id"] as? String)
            let wrong = code == "000000" ? "000001" : "000000"
            let unknown = try await client.call(.post, "/api/portal/code", json: body(wrong))
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains("No support session has this code"))
            // Spaces and a dash, as people type codes, are fine.
            let spaced = "\(code.prefix(3)) - \(code.suffix(3))"
            #expect(try await client.call(.post, "/api/portal/code", json: body(spaced)).status == .ok)

            // Let the expiry pass and sweep.
            try await server.store.database.query(
                "UPDATE support_sessions SET expires_at = ? WHERE id = ?",
                [.int(Int64(Date().addingTimeInterval(-1).timeIntervalSince1970 * 1000)), .text(id)]
            )
            let support = SupportSessions(store: server.store, hub: RelayHub(), dashboards: DashboardHub(), serverKey: .ephemeral(), logger: .init(label: "t"))
            try await support.sweep(idle: 3600)
            let expired = try await client.call(.post, "/api/portal/code", json: body(code))
            #expect(expired.status == .notFound)
            #expect(String(buffer: expired.body).contains("expired"))

            let second = try await Self.create(client, as: admin)
            let secondId = try #require(second["id"] as? String)
            #expect(try await server.store.support.transition(id: secondId, from: [.pending], to: .connected, at: .now, reason: nil))
            #expect(try await client.call(.post, "/api/support/sessions/\(secondId)/end", as: admin, json: "{}").status == .noContent)
            #expect(try await client.call(.post, "/api/support/sessions/\(secondId)/end", as: admin, json: "{}").status == .forbidden)
            let ended = try await client.call(.post, "/api/portal/code", json: body(try #require(second["code"] as? String)))
            #expect(ended.status == .notFound)
            #expect(String(buffer: ended.body).contains("already ended"))
            #expect(try await client.call(.post, "/api/support/sessions", as: admin, json: #"{"visibility":"galaxy"}"#).status == .badRequest)
            #expect(try await client.call(.post, "/api/support/sessions", as: admin, json: #"{"expiresInMinutes":0}"#).status == .badRequest)
        }
    }

    @Test func thousandRapidGuessesFromOneAddressAreThrottledAndAudited() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            var statuses: [HTTPResponse.Status: Int] = [:]
            for guess in 0..<1000 {
                let response = try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(String(format: "%06d", guess))"}"#)
                statuses[response.status, default: 0] += 1
            }
            // 5 free failures, the 6th locks for 1 s, and each later lock doubles (2 s, 4 s, …): however slow
            // this machine is, a minute of guessing lets at most a handful more through.
            let admitted = statuses[.notFound, default: 0]
            #expect((6...12).contains(admitted), "\(statuses)")
            #expect(statuses[.tooManyRequests] == 1000 - admitted, "\(statuses)")
            let audit = try await client.call(.get, "/api/audit?action=portal.code&limit=500", as: admin)
            let text = String(buffer: audit.body)
            #expect(text.contains("denied") && text.contains("throttled"))
        }
    }

    @Test func theDownloadCarriesASignedTrailerAndTicketsCannotBeForged() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = Self.agentDirectory }) { server, client, admin async throws in
            let session = try await Self.create(client, as: admin)
            let code = try #require(session["code"] as? String)
            let id = try #require(session["id"] as? String)
            let accepted = try client.json(try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(code)"}"#, headers: [.userAgent: "Mozilla/5.0 (X11; Linux x86_64)"]))
            #expect(accepted["fileName"] as? String == "GuruConnect-\(code)")
            #expect(accepted["launchUrl"] as? String == "guruconnect://session/\(code)")
            let url = try #require(accepted["downloadUrl"] as? String)
            let download = try await client.call(.get, url)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"GuruConnect-\(code)\"")
            let bytes = Array(download.body.readableBytesView)
            #expect(bytes.starts(with: Array("\u{7F}ELF agent".utf8)))
            let served = try #require(SupportAgentTrailerTests.Served(bytes), "no GCSUPP02 trailer")
            #expect(served.verifies)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(served.json)) as? [String: Any])
            #expect(json["session"] as? String == id && json["code"] as? String == code && json["consent"] as? Bool == true)
            #expect((json["secret"] as? String)?.count == 43, "32 random bytes, base64url")

            let ticket = url.split(separator: "/").last.map { String($0.split(separator: "?")[0]) } ?? ""
            let forged = ticket.dropLast(2) + (ticket.hasSuffix("00") ? "11" : "00")
            #expect(try await client.call(.get, "/api/portal/download/\(forged)").status == .notFound)
            #expect(try await client.call(.get, "/api/portal/download/junk").status == .notFound)
            let windows = try await client.call(.get, url.replacingOccurrences(of: "platform=linux", with: "platform=windows"))
            #expect(windows.status == .serviceUnavailable, "no Windows agent in this folder")
        }
    }

    @Test func transferMovesTheSessionAndOnlyToTechnicians() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let alice = try await client.makeUser("alice", role: "technician", admin: admin)
            let bob = try await client.makeUser("bob", role: "technician", admin: admin)
            let auditorRole = try client.json(try await client.call(.post, "/api/roles", as: admin, json: #"{"name":"Auditor","permissions":["viewAudit"]}"#))
            _ = try await client.makeUser("audrey", role: try #require(auditorRole["id"] as? String), admin: admin)
            let session = try await Self.create(client, as: alice, #"{"visibility":"private"}"#)
            let id = try #require(session["id"] as? String)
            let bobId = try #require(try await server.store.users.find(username: "bob")?.id)
            let audreyId = try #require(try await server.store.users.find(username: "audrey")?.id)

            let technicians = String(buffer: try await client.call(.get, "/api/support/technicians", as: alice).body)
            #expect(technicians.contains("bob") && !technicians.contains("audrey"))
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/transfer", as: alice, json: #"{"userId":"\#(audreyId)"}"#).status == .badRequest)
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/transfer", as: bob, json: #"{"userId":"\#(bobId)"}"#).status == .notFound)
            #expect(try await client.call(.post, "/api/support/sessions/\(id)/transfer", as: alice, json: #"{"userId":"\#(bobId)"}"#).status == .noContent)
            #expect(try await Self.list(client, as: bob).first?["section"] as? String == "mine")
            #expect(try await Self.list(client, as: alice).isEmpty, "private: the old owner no longer sees it")
            let audit = String(buffer: try await client.call(.get, "/api/audit?action=support.transfer", as: admin).body)
            #expect(audit.contains("to bob"))
        }
    }

    @Test func firstComeCodesAreSupportRequestsForEveryTechnician() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let alice = try await client.makeUser("alice", role: "technician", admin: admin)
            let bob = try await client.makeUser("bob", role: "technician", admin: admin)
            let session = try await Self.create(client, as: alice, #"{"assigned":false}"#)
            #expect(session["ownerId"] == nil || session["ownerId"] is NSNull)
            let bobView = try await Self.list(client, as: bob)
            #expect(bobView.first?["section"] as? String == "request")
            #expect(bobView.first?["canCancel"] as? Bool == false)
            #expect(try await Self.list(client, as: alice).first?["canCancel"] as? Bool == true, "its creator may cancel it")
        }
    }
}

@Suite("Support sessions: idle timeout")
struct SupportIdleTests {
    @Test func aSessionWithoutAViewerEndsAfterTheIdleTimeout() async throws {
        let server = try await TestServer.make()
        try await server.store.prepare()
        let support = SupportSessions(store: server.store, hub: RelayHub(), dashboards: DashboardHub(), serverKey: .ephemeral(), logger: .init(label: "t"))
        let owner = User(id: "u1", username: "alice", displayName: "Alice", passwordHash: "", roleId: "technician", createdAt: .now)
        let session = try await support.create(owner: owner, createdBy: owner, visibility: .team, expiresAt: nil)
        let start = Date()
        try await support.sweep(idle: 60, now: start)
        #expect(try await server.store.support.find(id: session.id)?.status == .pending, "a pending code never idles out")
        #expect(try await server.store.support.transition(id: session.id, from: [.pending], to: .connected, at: start, reason: nil))
        try await support.sweep(idle: 60, now: start)  // starts the idle clock
        try await support.sweep(idle: 60, now: start.addingTimeInterval(59))
        #expect(try await server.store.support.find(id: session.id)?.status == .connected)
        try await support.sweep(idle: 60, now: start.addingTimeInterval(61))
        let ended = try #require(try await server.store.support.find(id: session.id))
        #expect(ended.status == .ended && ended.endReason == "idle timeout")
        await server.store.close()
    }
}
