import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

@Suite("Users, roles, teams, settings and audit")
struct AdministrationTests {
    @Test func adminsCannotLockThemselvesOut() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let adminId = try #require(try await server.store.users.find(username: "admin")?.id)
            #expect(try await client.call(.delete, "/api/users/\(adminId)", as: admin).status == .conflict)
            #expect(try await client.call(.patch, "/api/users/\(adminId)", as: admin, json: #"{"disabled":true}"#).status == .conflict)
            #expect(try await client.call(.patch, "/api/users/\(adminId)", as: admin, json: #"{"roleId":"technician"}"#).status == .conflict)
            #expect(try await server.store.users.find(id: adminId)?.roleId == "admin")
        }
    }

    @Test func usersGetValidatedUniqueNamesAndTeams() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let team = try client.json(try await client.call(.post, "/api/teams", as: admin, json: #"{"name":"Phoenix"}"#))
            let teamId = try #require(team["id"] as? String)
            let body = #"{"username":"howard","displayName":"Howard","password":"\#(TestServer.password)","roleId":"senior","teamId":"\#(teamId)"}"#
            let created = try await client.call(.post, "/api/users", as: admin, json: body)
            #expect(created.status == .created)
            #expect((try client.json(created)["team"] as? [String: Any])?["name"] as? String == "Phoenix")
            #expect(try await client.call(.post, "/api/users", as: admin, json: body).status == .conflict)
            let short = #"{"username":"x y","displayName":"X","password":"short","roleId":"senior"}"#
            #expect(try await client.call(.post, "/api/users", as: admin, json: short).status == .badRequest)
            let badRole = #"{"username":"zed","displayName":"Z","password":"\#(TestServer.password)","roleId":"wizard"}"#
            #expect(try await client.call(.post, "/api/users", as: admin, json: badRole).status == .badRequest)
            let howardId = try #require(try await server.store.users.find(username: "howard")?.id)
            let cleared = try await client.call(.patch, "/api/users/\(howardId)", as: admin, json: #"{"teamId":null}"#)
            #expect(try client.json(cleared)["team"] == nil)
            let teams = try await client.call(.get, "/api/teams", as: admin)
            #expect(String(buffer: teams.body).contains(#""memberCount":0"#))
        }
    }

    @Test func passwordResetSignsTheUserOutEverywhere() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let techId = try #require(try await server.store.users.find(username: "tech")?.id)
            #expect(try await client.call(.post, "/api/users/\(techId)/password", as: admin, json: #"{"newPassword":"a-brand-new-password"}"#).status == .ok)
            #expect(try await client.call(.get, "/api/session", as: tech).status == .unauthorized)
            _ = try await client.signIn("tech", password: "a-brand-new-password")
        }
    }

    @Test func changingYourOwnPasswordNeedsTheCurrentOneAndKeepsThisSession() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            let here = try await client.signIn("admin")
            let elsewhere = try await client.signIn("admin")
            #expect(try await client.call(.post, "/api/account/password", as: here, json: #"{"currentPassword":"wrong-wrong-1","newPassword":"another-password-2"}"#).status == .unauthorized)
            #expect(try await client.call(.post, "/api/account/password", as: here, json: #"{"currentPassword":"\#(TestServer.password)","newPassword":"another-password-2"}"#).status == .noContent)
            #expect(try await client.call(.get, "/api/session", as: here).status == .ok)
            #expect(try await client.call(.get, "/api/session", as: elsewhere).status == .unauthorized)
        }
    }

    @Test func customRolesAndBuiltinProtection() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            #expect(try await client.call(.post, "/api/roles", as: admin, json: #"{"name":"Odd","permissions":["flyPlanes"]}"#).status == .badRequest)
            let created = try client.json(try await client.call(.post, "/api/roles", as: admin, json: #"{"name":"Helpdesk","permissions":["createSupportCode","viewAudit"]}"#))
            let roleId = try #require(created["id"] as? String)
            #expect(try await client.call(.patch, "/api/roles/admin", as: admin, json: #"{"name":"Admin","permissions":[]}"#).status == .conflict)
            let helpdesk = try await client.makeUser("desk", role: roleId, admin: admin)
            #expect(try await client.call(.get, "/api/audit", as: helpdesk).status == .ok)
            #expect(try await client.call(.delete, "/api/roles/\(roleId)", as: admin).status == .conflict)
            // Narrowing the role takes effect on the next request.
            #expect(try await client.call(.patch, "/api/roles/\(roleId)", as: admin, json: #"{"name":"Helpdesk","permissions":["createSupportCode"]}"#).status == .ok)
            #expect(try await client.call(.get, "/api/audit", as: helpdesk).status == .forbidden)
            let permissions = try await client.call(.get, "/api/permissions", as: admin)
            #expect(String(buffer: permissions.body).contains("viewRecordings"))
        }
    }

    @Test func settingsAreValidatedAndAudited() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let body = #"{"companyName":"Glaztech IT","defaultVisibility":"private","consentRequired":false,"sessionIdleMinutes":30}"#
            #expect(try await client.call(.put, "/api/settings", as: tech, json: body).status == .forbidden)
            #expect(try await client.call(.put, "/api/settings", as: admin, json: body).status == .ok)
            #expect(try client.json(try await client.call(.get, "/api/settings", as: tech))["companyName"] as? String == "Glaztech IT")
            let bad = #"{"companyName":"","defaultVisibility":"everyone","consentRequired":false,"sessionIdleMinutes":30}"#
            #expect(try await client.call(.put, "/api/settings", as: admin, json: bad).status == .badRequest)
            let audit = try await server.store.audit.list(AuditFilter(actionPrefix: "settings."))
            #expect(audit.events.first?.detail?.contains("defaultVisibility=private") == true)
        }
    }

    @Test func auditFiltersAndExportsAsCSVAndJSON() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            _ = try await client.call(.post, "/api/auth/login", json: #"{"username":"=cmd|' /C calc'!A0","password":"nope-nope-nope"}"#)
            let admin = try await client.signIn("admin")
            let failures = try client.json(try await client.call(.get, "/api/audit?outcome=failure", as: admin))
            #expect(failures["total"] as? Int == 1)
            let page = try client.json(try await client.call(.get, "/api/audit?limit=1&offset=0", as: admin))
            #expect((page["events"] as? [Any])?.count == 1)
            #expect(try await client.call(.get, "/api/audit?limit=100000", as: admin).status == .badRequest)
            #expect(try await client.call(.get, "/api/audit?since=yesterday", as: admin).status == .badRequest)
            let csv = try await client.call(.get, "/api/audit/export?format=csv&action=auth.", as: admin)
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("id,at,actor_id,actor_name,source_address,action,target,outcome,detail"))
            #expect(text.contains("'=cmd"), "formula-like cells are defused")
            let json = try await client.call(.get, "/api/audit/export?format=json", as: admin)
            let events = try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [[String: Any]]
            #expect((events?.count ?? 0) >= 3)
            #expect(try await client.call(.get, "/api/audit/export?format=xml", as: admin).status == .badRequest)
        }
    }
}
