import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

@Suite("API keys")
struct ApiKeyTests {
    @Test func keysActWithTheOwnersPermissionsUntilRevoked() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (id, key) = try await client.makeApiKey(for: admin, name: "PSA sync")
            guard case .apiKey(_, let secret) = key else { Issue.record("not a key"); return }
            #expect(try await server.store.apiKeys.find(id: id)?.secretHash == SecureToken.sha256Hex(secret))
            #expect(try await client.call(.get, "/api/users", as: key).status == .ok)
            // Listing never shows the secret.
            let listing = String(buffer: try await client.call(.get, "/api/account/api-keys", as: admin).body)
            #expect(!listing.contains(secret))
            #expect(try await client.call(.delete, "/api/account/api-keys/\(id)", as: admin).status == .noContent)
            let revoked = try await client.call(.get, "/api/users", as: key)
            #expect(revoked.status == .unauthorized)
            #expect(try await client.call(.delete, "/api/account/api-keys/\(id)", as: admin).status == .notFound)
            let audit = try await server.store.audit.list(AuditFilter(actionPrefix: "apikey."))
            #expect(audit.events.map(\.action) == ["apikey.revoke", "apikey.create"])
        }
    }

    @Test func expiredAndForgedKeysAreRefused() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (id, key) = try await client.makeApiKey(for: admin, name: "short", expiresInDays: 1)
            #expect(try await client.call(.get, "/api/session", as: key).status == .ok)
            var stored = try #require(try await server.store.apiKeys.find(id: id))
            stored.expiresAt = Date().addingTimeInterval(-1)
            try await server.store.database.query("UPDATE api_keys SET expires_at = ? WHERE id = ?", [.int(Date().millisecondsSince1970 - 1000), .text(id)])
            #expect(try await client.call(.get, "/api/session", as: key).status == .unauthorized)
            guard case .apiKey(let name, let secret) = key else { return }
            let forged = Caller.apiKey(name: name, secret: String(secret.dropLast()) + (secret.hasSuffix("A") ? "B" : "A"))
            #expect(try await client.call(.get, "/api/session", as: forged).status == .unauthorized)
            #expect(try await client.call(.get, "/api/session", as: .apiKey(name: "junk", secret: "not-a-key")).status == .unauthorized)
            _ = stored
        }
    }

    @Test func anotherUsersKeyCannotBeRevokedAndKeysCannotMintKeys() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let (adminKeyId, adminKey) = try await client.makeApiKey(for: admin, name: "mine")
            #expect(try await client.call(.delete, "/api/account/api-keys/\(adminKeyId)", as: tech).status == .notFound)
            #expect(try await client.call(.post, "/api/account/api-keys", as: adminKey, json: #"{"name":"child"}"#).status == .forbidden)
            #expect(try await client.call(.post, "/api/account/api-keys", as: admin, json: #"{"name":"x","expiresInDays":0}"#).status == .badRequest)
        }
    }
}
