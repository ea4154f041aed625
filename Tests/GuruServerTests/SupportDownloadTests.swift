import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Each support download carries its own secret and a one-time ticket, and the URL it dials comes from the
/// configuration, never from the request (docs/support.md §4).
@Suite("Support downloads: per-download secrets, one-time tickets, configured server URL")
struct SupportDownloadTests {
    /// Checks the code and downloads, as the portal does; the trailer's JSON, or nil with the failing status.
    static func download(
        _ client: any TestClientProtocol, code: String, headers: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64)"]
    ) async throws -> (json: [String: Any], url: String) {
        let checked = try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(code)"}"#, headers: headers)
        #expect(checked.status == .ok)
        let url = try #require(try client.json(checked)["downloadUrl"] as? String)
        let response = try await client.call(.get, url, headers: headers)
        #expect(response.status == .ok)
        let served = try #require(SupportAgentTrailerTests.Served(Array(response.body.readableBytesView)))
        #expect(served.verifies)
        return (try #require(try JSONSerialization.jsonObject(with: Data(served.json)) as? [String: Any]), url)
    }

    static func newCode(_ client: any TestClientProtocol, _ admin: Caller) async throws -> (code: String, id: String) {
        let session = try await SupportApiTests.create(client, as: admin)
        return (try #require(session["code"] as? String), try #require(session["id"] as? String))
    }

    @Test func twoDownloadsOfOneSessionCarryDifferentSecretsAndOnlyHashesAreStored() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = SupportApiTests.agentDirectory }) { server, client, admin async throws in
            let (code, id) = try await Self.newCode(client, admin)
            let first = try await Self.download(client, code: code)
            let second = try await Self.download(client, code: code)
            let a = try #require(first.json["secret"] as? String)
            let b = try #require(second.json["secret"] as? String)
            #expect(a != b)
            #expect(first.json["session"] as? String == id && second.json["session"] as? String == id)
            // Both are good credentials for this session, and only for it; nothing stored is the secret itself.
            let downloads = server.store.supportDownloads
            #expect(try await downloads.hasSecret(sessionId: id, secretHash: SecureToken.sha256Hex(a)))
            #expect(try await downloads.hasSecret(sessionId: id, secretHash: SecureToken.sha256Hex(b)))
            #expect(try await downloads.hasSecret(sessionId: id, secretHash: a) == false)
            #expect(try await downloads.hasSecret(sessionId: String(format: "%032x", 1), secretHash: SecureToken.sha256Hex(a)) == false)
        }
    }

    @Test func aDownloadTicketWorksOnce() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = SupportApiTests.agentDirectory }) { _, client, admin async throws in
            let (code, _) = try await Self.newCode(client, admin)
            let (_, url) = try await Self.download(client, code: code)
            let again = try await client.call(.get, url)
            #expect(again.status == .notFound)
            #expect(String(buffer: again.body).contains("already used"))
            let audit = String(buffer: try await client.call(.get, "/api/audit?action=portal.download&limit=50", as: admin).body)
            #expect(audit.contains("denied"))
        }
    }

    @Test func theHostHeaderNeverReachesTheSignedTrailer() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = SupportApiTests.agentDirectory; $0.port = 8443 }) { _, client, admin async throws in
            let (code, _) = try await Self.newCode(client, admin)
            var headers: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64)"]
            headers[HTTPField.Name("Host")!] = "evil.test"
            headers[HTTPField.Name("X-Forwarded-Host")!] = "evil.test"
            let (json, _) = try await Self.download(client, code: code, headers: headers)
            #expect(json["server"] as? String == "http://127.0.0.1:8443")
        }
        try await TestServer.withAdmin({
            $0.agentDirectory = SupportApiTests.agentDirectory
            $0.host = "0.0.0.0"
            $0.publicURL = "https://support.example.com"
        }) { _, client, admin async throws in
            let (code, _) = try await Self.newCode(client, admin)
            var headers: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64)"]
            headers[HTTPField.Name("Host")!] = "evil.test"
            let (json, _) = try await Self.download(client, code: code, headers: headers)
            #expect(json["server"] as? String == "https://support.example.com")
        }
    }

    @Test func aNetworkBindWithoutPublicURLRefusesDownloadsAndSaysWhatToSet() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = SupportApiTests.agentDirectory; $0.host = "0.0.0.0" }) { _, client, admin async throws in
            let (code, _) = try await Self.newCode(client, admin)
            let checked = try await client.call(.post, "/api/portal/code", json: #"{"code":"\#(code)"}"#)
            #expect(checked.status == .serviceUnavailable)
            let body = try client.json(checked)
            #expect(body["error"] as? String == "public_url_required")
            let message = try #require(body["message"] as? String)
            #expect(message.contains("publicURL") && message.contains("--public-url") && message.contains("GURU_PUBLIC_URL"))
            // A ticket from elsewhere does not get around it either.
            #expect(try await client.call(.get, "/api/portal/download/anything?platform=linux").status == .serviceUnavailable)
        }
    }
}
