import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Changing an account's own credentials needs its owner, now (issue #11): the current password and a TOTP
/// code, never an API key; an admin's password reset ends the user's sessions and revokes or lists their keys.
@Suite("Re-authentication and password resets")
struct ReauthenticationTests {
    static func nextCode(_ secret: String) throws -> String {
        try TwoFactorTests.code(secret: secret, at: Date().addingTimeInterval(30))
    }

    @Test func anAdminResettingTheirOwnPasswordThroughTheUserRoutesMustProveItIsThem() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (secret, _, _) = try await TwoFactorTests.enrol(client, admin)
            let adminId = try #require(try await server.store.users.find(username: "admin")?.id)
            let path = "/api/users/\(adminId)/password"
            let bare = try await client.call(.post, path, as: admin, json: #"{"newPassword":"taken-over-password"}"#)
            #expect(bare.status == .unauthorized)
            #expect(try client.json(bare)["error"] as? String == "reauthentication_required")
            let wrong = #"{"newPassword":"taken-over-password","currentPassword":"not-my-password","code":"\#(try Self.nextCode(secret))"}"#
            #expect(try await client.call(.post, path, as: admin, json: wrong).status == .unauthorized)
            let noCode = #"{"newPassword":"taken-over-password","currentPassword":"\#(TestServer.password)"}"#
            #expect(try await client.call(.post, path, as: admin, json: noCode).status == .unauthorized)
            let badCode = #"{"newPassword":"taken-over-password","currentPassword":"\#(TestServer.password)","code":"000000x"}"#
            #expect(try await client.call(.post, path, as: admin, json: badCode).status == .unauthorized)
            // None of that changed anything: the old password still signs in.
            #expect(try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"\#(TestServer.password)"}"#).status == .ok)

            let proved = #"{"newPassword":"a-new-admin-password","currentPassword":"\#(TestServer.password)","code":"\#(try Self.nextCode(secret))"}"#
            #expect(try await client.call(.post, path, as: admin, json: proved).status == .ok)
            // The session it acted from stays; the password is the new one.
            #expect(try await client.call(.get, "/api/session", as: admin).status == .ok)
            #expect(try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"\#(TestServer.password)"}"#).status == .unauthorized)
        }
    }

    @Test func anAdminTurningOffTheirOwnTwoFactorThroughTheUserRoutesMustProveItIsThem() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (secret, _, _) = try await TwoFactorTests.enrol(client, admin)
            let adminId = try #require(try await server.store.users.find(username: "admin")?.id)
            let path = "/api/users/\(adminId)/totp/disable"
            #expect(try await client.call(.post, path, as: admin, json: "{}").status == .unauthorized)
            let noCode = #"{"currentPassword":"\#(TestServer.password)"}"#
            #expect(try await client.call(.post, path, as: admin, json: noCode).status == .unauthorized)
            #expect(try await server.store.users.find(id: adminId)?.totpEnabled == true)
            let proved = #"{"currentPassword":"\#(TestServer.password)","code":"\#(try Self.nextCode(secret))"}"#
            #expect(try await client.call(.post, path, as: admin, json: proved).status == .noContent)
            #expect(try await server.store.users.find(id: adminId)?.totpEnabled == false)
        }
    }

    @Test func anApiKeyCanNeverChangeItsOwnersCredentials() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            _ = try await client.makeUser("tech", role: "technician", admin: admin)
            let (keyId, key) = try await client.makeApiKey(for: admin, name: "automation")
            let adminId = try #require(try await server.store.users.find(username: "admin")?.id)
            let techId = try #require(try await server.store.users.find(username: "tech")?.id)
            let ownPassword = #"{"currentPassword":"\#(TestServer.password)","newPassword":"stolen-key-password"}"#
            let refusals: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/api/account/password", ownPassword),
                (.post, "/api/account/totp/enroll", nil),
                (.post, "/api/account/totp/confirm", #"{"code":"123456"}"#),
                (.post, "/api/account/totp/disable", #"{"password":"\#(TestServer.password)"}"#),
                (.post, "/api/account/api-keys", #"{"name":"another","expiresInDays":null}"#),
                (.delete, "/api/account/api-keys/\(keyId)", nil),
                (.post, "/api/users/\(adminId)/password", #"{"newPassword":"stolen-key-password","currentPassword":"\#(TestServer.password)"}"#),
                (.post, "/api/users/\(adminId)/totp/disable", #"{"currentPassword":"\#(TestServer.password)"}"#),
            ]
            for (method, path, body) in refusals {
                let response = try await client.call(method, path, as: key, json: body)
                #expect(response.status == .forbidden, "\(method) \(path) with the owner's API key: \(response.status)")
            }
            // Nothing changed: the password, two-factor and the key itself are as they were.
            #expect(try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"\#(TestServer.password)"}"#).status == .ok)
            #expect(try await server.store.users.find(id: adminId)?.totpPendingSecret == nil)
            #expect(try await server.store.apiKeys.find(id: keyId)?.revokedAt == nil)
            // The same key may still administer someone else's account.
            #expect(try await client.call(.post, "/api/users/\(techId)/password", as: key, json: #"{"newPassword":"reset-by-automation"}"#).status == .ok)
        }
    }

    @Test func aPasswordResetEndsTheSessionsAndRevokesOrListsTheKeysAsTheAdminChooses() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let techId = try #require(try await server.store.users.find(username: "tech")?.id)
            let (_, first) = try await client.makeApiKey(for: tech, name: "psa")
            let (_, second) = try await client.makeApiKey(for: tech, name: "rmm")
            let listed = try await client.call(.get, "/api/users", as: admin)
            #expect(String(buffer: listed.body).contains(#""activeApiKeys":2"#))

            let kept = try await client.call(.post, "/api/users/\(techId)/password", as: admin, json: #"{"newPassword":"first-reset-password"}"#)
            #expect(kept.status == .ok)
            let keptBody = try client.json(kept)
            #expect(keptBody["revokedApiKeys"] as? Int == 0)
            #expect((keptBody["activeApiKeys"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.sorted() == ["psa", "rmm"])
            #expect(try await client.call(.get, "/api/session", as: tech).status == .unauthorized)
            #expect(try await client.call(.get, "/api/session", as: first).status == .ok)

            let revoked = try await client.call(
                .post, "/api/users/\(techId)/password", as: admin, json: #"{"newPassword":"second-reset-password","revokeApiKeys":true}"#
            )
            #expect(revoked.status == .ok)
            let revokedBody = try client.json(revoked)
            #expect(revokedBody["revokedApiKeys"] as? Int == 2)
            #expect((revokedBody["activeApiKeys"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, "/api/session", as: first).status == .unauthorized)
            #expect(try await client.call(.get, "/api/session", as: second).status == .unauthorized)
        }
    }
}
