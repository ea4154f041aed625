import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

@Suite("Setup and sign-in")
struct SetupAndLoginTests {
    @Test func setupWorksOnceAndIsHarmlessAfterwards() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            #expect(try client.json(try await client.call(.get, "/api/setup/status"))["needsSetup"] as? Bool == true)
            try await client.setUpAdmin()
            #expect(try client.json(try await client.call(.get, "/api/setup/status"))["needsSetup"] as? Bool == false)
            let again = try await client.call(.post, "/api/setup", json: #"{"username":"mallory","displayName":"M","password":"mallory-password-1"}"#)
            #expect(again.status == .notFound)
            // Even malformed bodies get the same answer: nothing is parsed after setup.
            #expect(try await client.call(.post, "/api/setup", json: "garbage").status == .notFound)
            let users = try await server.store.users.list()
            #expect(users.map(\.username) == ["admin"])
            #expect(try await client.call(.post, "/api/auth/login", json: #"{"username":"mallory","password":"mallory-password-1"}"#).status == .unauthorized)
            let denied = try await server.store.audit.list(AuditFilter(actionPrefix: "setup.", outcome: .denied))
            #expect(denied.total == 2)
        }
    }

    @Test func concurrentSetupCreatesExactlyOneAdmin() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await client.call(
                            .post, "/api/setup", json: #"{"username":"admin\#(index)","displayName":"A","password":"\#(TestServer.password)"}"#
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .notFound }.count == 7)
            #expect(try await server.store.users.list().count == 1)
        }
    }

    @Test func wrongPasswordsAndUnknownUsersLookAlikeAndAreAudited() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            let wrong = try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"not the password"}"#)
            let unknown = try await client.call(.post, "/api/auth/login", json: #"{"username":"nobody","password":"not the password"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(try client.json(wrong)["message"] as? String == (try client.json(unknown)["message"] as? String))
            #expect(wrong.headers[.setCookie] == nil)
            let failures = try await server.store.audit.list(AuditFilter(actionPrefix: "auth.login", outcome: .failure))
            #expect(failures.events.compactMap(\.detail).sorted() == ["unknown user", "wrong password"])
        }
    }

    @Test func sessionCookieIsHttpOnlyAndStrict() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            let response = try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"\#(TestServer.password)"}"#)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            // Only the hash of the token is stored.
            let token = try #require(cookie.split(separator: ";").first?.split(separator: "=").last.map(String.init))
            #expect(try await server.store.webSessions.find(tokenHash: token) == nil)
            #expect(try await server.store.webSessions.find(tokenHash: SecureToken.sha256Hex(token)) != nil)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            #expect(try await client.call(.get, "/api/session", as: admin).status == .ok)
            #expect(try await client.call(.post, "/api/auth/logout", as: admin).status == .noContent)
            #expect(try await client.call(.get, "/api/session", as: admin).status == .unauthorized)
        }
    }

    @Test func hundredRapidBadLoginsAreThrottled() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<100 {
                statuses.append(try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"guess-guess-guess"}"#).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 90)
            // While locked, even the right password is refused, with a Retry-After.
            let locked = try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"\#(TestServer.password)"}"#)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 } == true)
            let throttled = try await server.store.audit.list(AuditFilter(actionPrefix: "auth.login", outcome: .denied))
            #expect(throttled.total >= 90)
        }
    }

    @Test func disabledUsersCannotSignInAndLoseTheirSessions() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let techId = try #require(try await server.store.users.find(username: "tech")?.id)
            #expect(try await client.call(.patch, "/api/users/\(techId)", as: admin, json: #"{"disabled":true}"#).status == .ok)
            #expect(try await client.call(.get, "/api/session", as: tech).status == .unauthorized)
            #expect(try await client.call(.post, "/api/auth/login", json: #"{"username":"tech","password":"\#(TestServer.password)"}"#).status == .unauthorized)
        }
    }

    @Test func badBodiesGetClearErrors() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            let malformed = try await client.call(.post, "/api/auth/login", json: #"{"username": "#)
            #expect(malformed.status == .badRequest)
            #expect(try client.json(malformed)["error"] as? String == "bad_request")
            let missing = try await client.call(.post, "/api/auth/login", json: #"{"username":"a"}"#)
            #expect(try client.json(missing)["message"] as? String == "Malformed JSON: missing field 'password'")
            let form = try await client.call(.post, "/api/auth/login", json: "username=a", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .unsupportedMediaType)
            let huge = String(repeating: "x", count: 70_000)
            let tooLarge = try await client.call(.post, "/api/auth/login", json: #"{"username":"\#(huge)","password":"x"}"#)
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    @Test func pagesAndHeaders() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            // "/" is the end-user portal: the same shell, no sign-in.
            let root = try await client.call(.get, "/")
            #expect(root.status == .ok)
            #expect(String(buffer: root.body).contains("<script type=\"module\""))
            let page = try await client.call(.get, "/app/settings/account")
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.headers[.frameOptions] == "DENY")
            #expect(String(buffer: page.body).contains("<script type=\"module\""))
            // Metrics are not public (AuthorizationMatrixTests covers the token).
            #expect(try await client.call(.get, "/metrics").status == .unauthorized)
            #expect(try await client.call(.get, "/healthz").status == .ok)
        }
    }
}
