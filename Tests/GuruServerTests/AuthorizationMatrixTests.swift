import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Every route × every kind of caller. A route added without an entry here fails the first test;
/// a route whose guard does not match its declaration fails the second.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    /// The declared access of every route, written out by hand on purpose.
    static let expected: [String: Access] = [
        "GET /healthz": .anyone,
        "GET /metrics": .metricsToken,
        "GET /": .anyone,
        "GET /login": .anyone,
        "GET /setup": .anyone,
        "GET /app": .anyone,
        "GET /app/**": .anyone,
        "GET /api/setup/status": .anyone,
        "POST /api/setup": .anyone,
        "POST /api/auth/login": .anyone,
        "POST /api/auth/totp": .anyone,
        "POST /api/auth/logout": .signedIn,
        "GET /api/session": .signedIn,
        "POST /api/account/password": .signedIn.changingCredentials(of: .caller),
        "POST /api/account/totp/enroll": .signedIn.changingCredentials(of: .caller),
        "POST /api/account/totp/confirm": .signedIn.changingCredentials(of: .caller),
        "POST /api/account/totp/disable": .signedIn.changingCredentials(of: .caller),
        "GET /api/account/api-keys": .signedIn,
        "POST /api/account/api-keys": .signedIn.changingCredentials(of: .caller),
        "DELETE /api/account/api-keys/{id}": .signedIn.changingCredentials(of: .caller),
        "GET /api/users": .permission(.manageUsers),
        "POST /api/users": .permission(.manageUsers),
        "PATCH /api/users/{id}": .permission(.manageUsers),
        "POST /api/users/{id}/password": .permission(.manageUsers).changingCredentials(of: .pathUser),
        "POST /api/users/{id}/totp/disable": .permission(.manageUsers).changingCredentials(of: .pathUser),
        "DELETE /api/users/{id}": .permission(.manageUsers),
        "GET /api/permissions": .permission(.manageUsers),
        "GET /api/roles": .permission(.manageUsers),
        "POST /api/roles": .permission(.manageUsers),
        "PATCH /api/roles/{id}": .permission(.manageUsers),
        "DELETE /api/roles/{id}": .permission(.manageUsers),
        "GET /api/teams": .permission(.manageUsers),
        "POST /api/teams": .permission(.manageUsers),
        "PATCH /api/teams/{id}": .permission(.manageUsers),
        "DELETE /api/teams/{id}": .permission(.manageUsers),
        "GET /api/settings": .signedIn,
        "PUT /api/settings": .permission(.manageSettings),
        "GET /api/audit": .permission(.viewAudit),
        "GET /api/audit/export": .permission(.viewAudit),
        "GET /api/agent/ws": .anyone,
        "GET /api/viewer/ws": .anyone,
        "GET /api/agents": .permission(.accessUnattended),
        "POST /api/agents": .permission(.buildInstallers),
        "DELETE /api/agents/{id}": .permission(.buildInstallers),
        "POST /api/agents/{id}/identity/reset": .permission(.buildInstallers),
        "POST /api/agents/{id}/join": .permission(.accessUnattended),
        // Enrolment tokens (the Build tab) and the one route that trades a token for a credential (EnrolmentApiTests).
        "GET /api/enrolment-tokens": .permission(.buildInstallers),
        "POST /api/enrolment-tokens": .permission(.buildInstallers),
        "DELETE /api/enrolment-tokens/{id}": .permission(.buildInstallers),
        "POST /api/agent/enrol": .anyone,
        // The Build tab: builds need buildInstallers; a built file's single-purpose link is open (BuildApiTests).
        "GET /api/build/options": .permission(.buildInstallers),
        "GET /api/build/suggestions": .permission(.buildInstallers),
        "POST /api/build": .permission(.buildInstallers),
        "GET /api/build/downloads/{id}": .anyone,
        "GET /api/build/downloads/{id}/install.sh": .anyone,
        "POST /api/build/downloads/{id}/email": .permission(.buildInstallers),
        "GET /api/settings/smtp": .permission(.manageSettings),
        "PUT /api/settings/smtp": .permission(.manageSettings),
        "POST /api/settings/smtp/test": .permission(.manageSettings),
        // The Access tab: each route on one machine then checks the caller's scope (AccessApiTests).
        "GET /api/agents/groups": .permission(.accessUnattended),
        "GET /api/agents/{id}": .permission(.accessUnattended),
        "POST /api/agents/{id}/attention": .permission(.accessUnattended),
        "POST /api/agents/{id}/wake": .permission(.accessUnattended),
        "GET /api/saved-filters": .permission(.accessUnattended),
        "POST /api/saved-filters": .permission(.accessUnattended),
        "PATCH /api/saved-filters/{id}": .permission(.accessUnattended),
        "DELETE /api/saved-filters/{id}": .permission(.accessUnattended),
        // Diagnostics: a support session's reports then follow SupportAccess, one report its session's rules (DiagnosticsApiTests).
        "POST /api/agents/{id}/diagnostics": .permission(.accessUnattended),
        "GET /api/agents/{id}/diagnostics": .permission(.accessUnattended),
        "POST /api/support/sessions/{id}/diagnostics": .signedIn,
        "GET /api/support/sessions/{id}/diagnostics": .signedIn,
        "GET /api/diagnostics/{id}": .signedIn,
        "GET /api/diagnostics/{id}/json": .signedIn,
        // Support sessions: each action then checks the caller against the session (SupportAccessTests).
        "GET /api/support/sessions": .signedIn,
        "POST /api/support/sessions": .permission(.createSupportCode),
        "GET /api/support/technicians": .signedIn,
        "POST /api/support/sessions/{id}/join": .signedIn,
        "POST /api/support/sessions/{id}/end": .signedIn,
        "POST /api/support/sessions/{id}/cancel": .signedIn,
        "POST /api/support/sessions/{id}/transfer": .signedIn,
        "GET /api/dashboard/ws": .signedIn,
        // The end-user portal: no sign-in; code checks are throttled (SupportApiTests).
        "GET /api/portal/branding": .anyone,
        "POST /api/portal/code": .anyone,
        "GET /api/portal/download/{ticket}": .anyone,
    ]

    @Test func everyRouteDeclaresTheExpectedAccess() async throws {
        let server = try await TestServer.make()
        let declared = Dictionary(uniqueKeysWithValues: server.routes.map { ("\($0.method.rawValue) \($0.path)", $0.access) })
        #expect(Set(declared.keys) == Set(Self.expected.keys), "routes added or removed without updating the matrix")
        for (route, access) in declared {
            #expect(Self.expected[route] == access, "\(route) declares \(access)")
        }
        await server.store.close()
    }

    @Test func everyCallerGetsExactlyWhatTheirRoleAllows() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let auditorRole = try await client.call(
                .post, "/api/roles", as: admin, json: #"{"name":"Auditor","permissions":["viewAudit"]}"#
            )
            let auditorRoleId = try #require(try client.json(auditorRole)["id"] as? String)
            let callers: [(Caller, Permission?)] = [
                (.anonymous, nil),
                (try await client.makeUser("tech", role: "technician", admin: admin), Role.technician),
                (try await client.makeUser("senior", role: "senior", admin: admin), Role.seniorTech),
                (try await client.makeUser("auditor", role: auditorRoleId, admin: admin), [.viewAudit]),
                (try await client.makeApiKey(for: try await client.signIn("tech"), name: "tech key").caller, Role.technician),
                (try await client.makeApiKey(for: admin, name: "admin key").caller, Role.admin),
                (try await client.signIn("admin"), Role.admin),
            ]
            // Signing out ends the session, so it goes last.
            let routes = server.routes.sorted { lhs, _ in lhs.path != "/api/auth/logout" }
            var checked = 0
            for (caller, permissions) in callers {
                for route in routes {
                    let key = "\(route.method.rawValue) \(route.path)"
                    let path = route.path.replacingOccurrences(of: "{id}", with: "no-such-id").replacingOccurrences(of: "**", with: "support")
                    let body: String? = [.post, .put, .patch].contains(route.method) ? "{}" : nil
                    let response = try await client.call(route.method, path, as: caller, json: body)
                    let allowed: Bool
                    switch route.access.requirement {
                    case .anyone: allowed = true
                    case .signedIn: allowed = permissions != nil
                    case .permission(let needed): allowed = permissions?.isSuperset(of: needed) ?? false
                    case .metricsToken: allowed = false
                    }
                    let isApiKey = if case .apiKey = caller { true } else { false }
                    // A route that changes the caller's own credentials never lets an API key through.
                    if allowed && !(isApiKey && route.access.credentials == .caller) {
                        #expect(![.unauthorized, .forbidden].contains(response.status), "\(caller) should reach \(key), got \(response.status)")
                    } else if permissions == nil {
                        #expect(response.status == .unauthorized, "\(caller) on \(key) should be 401, got \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "\(caller) on \(key) should be 403, got \(response.status)")
                    }
                    checked += 1
                }
            }
            #expect(checked == callers.count * Self.expected.count)
        }
    }

    @Test func metricsNeedTheConfiguredBearerTokenAndNothingElse() async throws {
        let token = "scrape-token-0123456789abcdef"
        try await TestServer.withAdmin({ $0.metricsToken = token }) { server, client, admin async throws in
            let key = try await client.makeApiKey(for: admin, name: "admin key").caller
            let anonymous = try await client.call(.get, "/metrics")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="metrics""#)
            let wrong = try await client.call(.get, "/metrics", headers: [.authorization: "Bearer \(token.dropLast())x"])
            #expect(wrong.status == .unauthorized)
            #expect(try await client.call(.get, "/metrics", as: admin).status == .forbidden)
            #expect(try await client.call(.get, "/metrics", as: key).status == .forbidden)
            let scraped = try await client.call(.get, "/metrics", headers: [.authorization: "Bearer \(token)"])
            #expect(scraped.status == .ok)
            #expect(String(buffer: scraped.body).contains("# TYPE"))
            // The scraper's token is no user: it opens nothing else.
            #expect(try await client.call(.get, "/api/session", headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
        }
        // With no token configured, nobody reads the metrics.
        try await TestServer.withAdmin { _, client, admin async throws in
            #expect(try await client.call(.get, "/metrics").status == .unauthorized)
            #expect(try await client.call(.get, "/metrics", as: admin).status == .forbidden)
        }
    }

    @Test func cookieSessionsNeedTheCSRFTokenForChanges() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let body = #"{"name":"Phoenix"}"#
            let missing = try await client.call(.post, "/api/teams", as: admin, json: body, csrf: false)
            #expect(missing.status == .forbidden)
            #expect(try client.json(missing)["error"] as? String == "csrf")
            let wrong = try await client.call(.post, "/api/teams", as: admin, json: body, headers: [.csrfToken: "forged"], csrf: false)
            #expect(wrong.status == .forbidden)
            // Reads need no token; the right token lets the change through.
            #expect(try await client.call(.get, "/api/teams", as: admin, csrf: false).status == .ok)
            #expect(try await client.call(.post, "/api/teams", as: admin, json: body).status == .created)
        }
    }
}
