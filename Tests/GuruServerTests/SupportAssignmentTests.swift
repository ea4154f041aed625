import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Codes for a named technician (docs/support.md §5, "Assigning a code"): who may assign to whom,
/// what is refused and how, the audit, the picker's list, and the notice only the assignee gets.
@Suite("Support codes assigned to a named technician", .timeLimit(.minutes(2)))
struct SupportAssignmentTests {
    static func create(_ client: any TestClientProtocol, as caller: Caller, _ body: String) async throws -> TestResponse {
        try await client.call(.post, "/api/support/sessions", as: caller, json: body)
    }

    static func userId(_ server: GuruServerApp, _ username: String) async throws -> String {
        try #require(try await server.store.users.find(username: username)?.id)
    }

    static func makeRole(_ client: any TestClientProtocol, admin: Caller, _ name: String, _ permissions: [String]) async throws -> String {
        let names = permissions.map { #""\#($0)""# }.joined(separator: ",")
        let response = try await client.call(.post, "/api/roles", as: admin, json: #"{"name":"\#(name)","permissions":[\#(names)]}"#)
        #expect(response.status == .created)
        return try #require(try client.json(response)["id"] as? String)
    }

    /// Every kind of caller, assigning to a technician, to themselves, and to nobody (first come).
    @Test func everyRoleAssignsExactlyWhereItMay() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            _ = try await client.makeUser("bob", role: "technician", admin: admin)
            let bobId = try await Self.userId(server, "bob")
            let dispatcher = try await Self.makeRole(client, admin: admin, "Dispatcher", ["createSupportCode", "assignSupportCodes"])
            let assignOnly = try await Self.makeRole(client, admin: admin, "Assign only", ["assignSupportCodes"])
            let auditor = try await Self.makeRole(client, admin: admin, "Auditor", ["viewAudit"])
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)

            enum Outcome: Equatable { case created, assignForbidden, routeForbidden }
            // (caller, to bob, to themselves and first come)
            let callers: [(String, Caller, Outcome, Outcome)] = [
                ("admin", admin, .created, .created),
                ("admin key", try await client.makeApiKey(for: admin, name: "admin key").caller, .created, .created),
                ("senior", try await client.makeUser("senior", role: "senior", admin: admin), .created, .created),
                ("dispatcher", try await client.makeUser("dispatch", role: dispatcher, admin: admin), .created, .created),
                ("technician", tech, .assignForbidden, .created),
                ("technician key", try await client.makeApiKey(for: tech, name: "tech key").caller, .assignForbidden, .created),
                ("assign without create", try await client.makeUser("assigner", role: assignOnly, admin: admin), .routeForbidden, .routeForbidden),
                ("auditor", try await client.makeUser("auditor", role: auditor, admin: admin), .routeForbidden, .routeForbidden),
            ]
            for (name, caller, toBob, ownOrFirstCome) in callers {
                let assigned = try await Self.create(client, as: caller, #"{"assigneeId":"\#(bobId)"}"#)
                switch toBob {
                case .created:
                    #expect(assigned.status == .created, "\(name) assigns to bob")
                    let session = try client.json(assigned)
                    #expect(session["ownerId"] as? String == bobId && session["ownerName"] as? String == "bob", "\(name)")
                    // Admin and Senior Tech list others' sessions; the dispatcher's role does not.
                    let listed: String? = name == "dispatcher" ? nil : "team"
                    #expect(session["section"] as? String == listed, "\(name)")
                case .assignForbidden:
                    #expect(assigned.status == .forbidden, "\(name) may not assign to bob")
                    #expect(try client.json(assigned)["error"] as? String == "assign_forbidden", "\(name)")
                case .routeForbidden:
                    #expect(assigned.status == .forbidden, "\(name) may not create codes")
                    #expect(try client.json(assigned)["error"] as? String == "forbidden", "\(name)")
                }
                let selfId = try await Self.sessionUserId(client, caller)
                let own = try await Self.create(client, as: caller, #"{"assigned":true,"assigneeId":"\#(selfId)"}"#)
                let firstCome = try await Self.create(client, as: caller, #"{"assigned":false}"#)
                if ownOrFirstCome == .created {
                    #expect(own.status == .created, "\(name) assigns to themselves")
                    #expect(try client.json(own)["section"] as? String == "mine", "\(name)")
                    #expect(firstCome.status == .created, "\(name) makes a first-come code")
                    #expect(try client.json(firstCome)["section"] as? String == "request", "\(name)")
                } else {
                    #expect(own.status == .forbidden && firstCome.status == .forbidden, "\(name)")
                }
            }
            // Bob got exactly the four codes assigned to him by the four callers who may.
            let bobs = try await server.store.support.list(endedSince: .distantPast).filter { $0.ownerId == bobId }
            #expect(bobs.count == 4)
        }
    }

    static func sessionUserId(_ client: any TestClientProtocol, _ caller: Caller) async throws -> String {
        let session = try client.json(try await client.call(.get, "/api/session", as: caller))
        return try #require((session["user"] as? [String: Any])?["id"] as? String)
    }

    @Test func theAssigneeMustExistBeEnabledAndTakeSupportSessions() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            _ = try await client.makeUser("gone", role: "technician", admin: admin)
            let goneId = try await Self.userId(server, "gone")
            #expect(try await client.call(.patch, "/api/users/\(goneId)", as: admin, json: #"{"disabled":true}"#).status == .ok)
            let auditor = try await Self.makeRole(client, admin: admin, "Auditor", ["viewAudit"])
            _ = try await client.makeUser("audrey", role: auditor, admin: admin)
            let audreyId = try await Self.userId(server, "audrey")
            let techId = try await Self.userId(server, "tech")

            let cases: [(String, String, HTTPResponse.Status, String, String?)] = [
                ("unknown user", #"{"assigneeId":"no-such-user"}"#, .unprocessableContent, "assignee_not_found", nil),
                ("disabled user", #"{"assigneeId":"\#(goneId)"}"#, .unprocessableContent, "assignee_disabled", "gone's account is disabled"),
                ("role without support", #"{"assigneeId":"\#(audreyId)"}"#, .unprocessableContent, "assignee_not_eligible", "audrey's role cannot take support sessions"),
                ("first come yet named", #"{"assigned":false,"assigneeId":"\#(techId)"}"#, .badRequest, "bad_request", nil),
            ]
            for (name, body, status, code, message) in cases {
                let response = try await Self.create(client, as: admin, body)
                #expect(response.status == status, "\(name)")
                let answer = try client.json(response)
                #expect(answer["error"] as? String == code, "\(name)")
                if let message { #expect((answer["message"] as? String)?.contains(message) == true, "\(name): \(answer)") }
            }
            // A technician without the right learns nothing about which ids exist: the same 403 for all.
            for target in ["no-such-user", goneId, audreyId] {
                let response = try await Self.create(client, as: tech, #"{"assigneeId":"\#(target)"}"#)
                #expect(response.status == .forbidden)
                #expect(try client.json(response)["error"] as? String == "assign_forbidden")
            }
            #expect(try await server.store.support.list(endedSince: .distantPast).isEmpty, "no refused request made a code")
            let audit = String(buffer: try await client.call(.get, "/api/audit?action=support.create&outcome=denied", as: admin).body)
            #expect(audit.contains("assignee_disabled") && audit.contains("assign_forbidden"), "\(audit)")
        }
    }

    @Test func anAssignedCodeIsTheAssigneesListedAndAudited() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let bob = try await client.makeUser("bob", role: "technician", admin: admin)
            let bobId = try await Self.userId(server, "bob")
            let created = try await Self.create(client, as: admin, #"{"assigneeId":"\#(bobId)","visibility":"private"}"#)
            #expect(created.status == .created)
            let session = try client.json(created)
            let code = try #require(session["code"] as? String)
            #expect(session["ownerName"] as? String == "bob" && session["createdByName"] as? String == "Admin")
            #expect(session["section"] as? String == "team", "the admin sees it among the team's")

            let bobsList = try await SupportApiTests.list(client, as: bob)
            #expect(bobsList.count == 1)
            #expect(bobsList.first?["code"] as? String == code && bobsList.first?["section"] as? String == "mine")
            #expect(bobsList.first?["canCancel"] as? Bool == true && bobsList.first?["canTransfer"] as? Bool == true)
            let portal = try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(code)"}"#)
            #expect(try client.json(portal)["technician"] as? String == "bob", "the portal names the assignee")

            let audit = String(buffer: try await client.call(.get, "/api/audit?action=support.create", as: admin).body)
            #expect(audit.contains("assigned to bob"), "\(audit)")
            _ = try await Self.create(client, as: admin, #"{"assigned":true}"#)
            _ = try await Self.create(client, as: admin, #"{"assigned":false}"#)
            let later = String(buffer: try await client.call(.get, "/api/audit?action=support.create", as: admin).body)
            #expect(later.contains("assigned to admin") && later.contains("first-come"), "\(later)")
        }
    }

    @Test func thePickerListShowsEligibleTechniciansByNameAndIdOnly() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            _ = try await client.makeUser("senior", role: "senior", admin: admin)
            _ = try await client.makeUser("gone", role: "technician", admin: admin)
            #expect(try await client.call(.patch, "/api/users/\(try await Self.userId(server, "gone"))", as: admin, json: #"{"disabled":true}"#).status == .ok)
            let auditor = try await Self.makeRole(client, admin: admin, "Auditor", ["viewAudit"])
            let audrey = try await client.makeUser("audrey", role: auditor, admin: admin)

            let response = try await client.call(.get, "/api/support/technicians", as: tech)
            #expect(response.status == .ok)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
            #expect(list.compactMap { $0["displayName"] as? String } == ["Admin", "senior", "tech"])
            for entry in list { #expect(Set(entry.keys) == ["id", "displayName"], "nothing but a name and an id: \(entry)") }
            #expect(try await client.call(.get, "/api/support/technicians", as: audrey).status == .ok)
            #expect(try await client.call(.get, "/api/support/technicians").status == .unauthorized)
        }
    }

    /// Only the assignee's dashboards get the notice. C's silence is proven by a barrier: a later
    /// notice for C arrives, with nothing for the first code before it.
    @Test func onlyTheAssigneeIsNotified() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            try await client.setUpAdmin()
            let admin = try await client.signIn("admin")
            let bob = try await client.makeUser("bob", role: "technician", admin: admin)
            let carol = try await client.makeUser("carol", role: "technician", admin: admin)
            let bobId = try await Self.userId(server, "bob")
            let carolId = try await Self.userId(server, "carol")
            let bobDashboard = DashboardPeer(client, as: bob)
            let carolDashboard = DashboardPeer(client, as: carol)
            let adminDashboard = DashboardPeer(client, as: admin)
            try await bobDashboard.hello()
            try await carolDashboard.hello()
            try await adminDashboard.hello()

            let first = try client.json(try await Self.create(client, as: admin, #"{"assigneeId":"\#(bobId)"}"#))
            let firstId = try #require(first["id"] as? String)
            let firstCode = try #require(first["code"] as? String)
            #expect(await bobDashboard.next() == ["type": "support.changed", "sessionId": firstId])
            #expect(await bobDashboard.next() == ["type": "support.assigned", "sessionId": firstId, "code": firstCode, "assignedBy": "Admin", "via": "code"])

            // The barrier: a code for carol. Whatever carol got for bob's code would come before it.
            let second = try client.json(try await Self.create(client, as: admin, #"{"assigneeId":"\#(carolId)"}"#))
            let secondId = try #require(second["id"] as? String)
            #expect(await carolDashboard.next() == ["type": "support.changed", "sessionId": firstId])
            #expect(await carolDashboard.next() == ["type": "support.changed", "sessionId": secondId])
            let secondCode = try #require(second["code"] as? String)
            #expect(await carolDashboard.next() == ["type": "support.assigned", "sessionId": secondId, "code": secondCode, "assignedBy": "Admin", "via": "code"])
            #expect(await bobDashboard.next() == ["type": "support.changed", "sessionId": secondId], "bob gets no notice of carol's code")

            // Assigning to yourself tells nobody; a transfer tells the new owner.
            let own = try client.json(try await Self.create(client, as: admin, #"{"assigned":true}"#))
            let ownId = try #require(own["id"] as? String)
            #expect(try await client.call(.post, "/api/support/sessions/\(firstId)/transfer", as: admin, json: #"{"userId":"\#(carolId)"}"#).status == .noContent)
            #expect(await carolDashboard.next() == ["type": "support.changed", "sessionId": ownId])
            #expect(await carolDashboard.next() == ["type": "support.changed", "sessionId": firstId])
            #expect(await carolDashboard.next() == ["type": "support.assigned", "sessionId": firstId, "code": firstCode, "assignedBy": "Admin", "via": "transfer"])
            #expect(await bobDashboard.next() == ["type": "support.changed", "sessionId": ownId])
            #expect(await bobDashboard.next() == ["type": "support.changed", "sessionId": firstId], "the previous owner is not told it is theirs")
            // The admin's own dashboard saw every change and nothing else: the transfer's change is the
            // barrier behind the admin's own code.
            for id in [firstId, secondId, ownId, firstId] {
                #expect(await adminDashboard.next() == ["type": "support.changed", "sessionId": id])
            }
            for peer in [bobDashboard, carolDashboard, adminDashboard] { peer.close() }
            for peer in [bobDashboard, carolDashboard, adminDashboard] { try await peer.closed() }
        }
    }
}
