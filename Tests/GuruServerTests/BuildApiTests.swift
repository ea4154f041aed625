import Crypto
import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// The Build tab over HTTP: each build makes its own token, signs it into the agent's trailer and hands out a
/// short-lived single-purpose link; SMTP settings never give the password back.
@Suite("Build tab: installers, download links and SMTP settings")
struct BuildApiTests {
    /// A folder with stand-in Windows and Linux agents, each with one empty key slot.
    static let agentDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-build-agents-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("guruconnect-agent.exe").path,
                                           contents: Data(Array("MZ stand-in".utf8) + SupportAgentTrailerTests.emptySlot))
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("guruconnect-agent").path,
                                           contents: Data(Array("\u{7F}ELF stand-in".utf8) + SupportAgentTrailerTests.emptySlot))
        return directory.path
    }()

    static func build(_ client: any TestClientProtocol, as caller: Caller, _ body: String) async throws -> [String: Any] {
        let response = try await client.call(.post, "/api/build", as: caller, json: body)
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try client.json(response)
    }

    @Test func anExeBuildSignsAFreshTokenAndTheFormsMetadataIntoTheTrailer() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = Self.agentDirectory }) { server, client, admin async throws in
            let result = try await Self.build(client, as: admin, #"{"format":"exe","metadata":{"company":"Glaztech","site":"Phoenix Office","deviceType":"server","properties":{"Asset":"A-17"}},"maxUses":3}"#)
            let download = try #require(result["download"] as? [String: Any])
            let url = try #require(download["url"] as? String)
            let path = try #require(URLComponents(string: url)?.path)
            #expect(path.hasPrefix("/api/build/downloads/"))
            let served = try await client.call(.get, path)
            #expect(served.status == .ok)
            #expect(served.headers[.contentDisposition]?.contains("GuruConnect-Agent.exe") == true)
            let bytes = Array(served.body.readableBytesView)
            #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == download["sha256"] as? String)
            #expect(bytes.count == download["size"] as? Int)
            let trailer = try #require(SupportAgentTrailerTests.Served(bytes))
            #expect(trailer.verifies)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(trailer.json)) as? [String: Any])
            #expect(json["mode"] as? String == "unattended")
            let metadata = try #require(json["metadata"] as? [String: Any])
            #expect(metadata["company"] as? String == "Glaztech" && metadata["deviceType"] as? String == "server")
            #expect((metadata["properties"] as? [String: String]) == ["Asset": "A-17"])
            // The baked token is a real one, with the form's limits; only its hash is stored.
            let secret = try #require(json["enrolToken"] as? String)
            let tokenId = try #require((result["token"] as? [String: Any])?["id"] as? String)
            let stored = try #require(try await server.store.enrolmentTokens.find(id: tokenId))
            #expect(stored.tokenHash == SecureToken.sha256Hex(secret) && stored.maxUses == 3 && stored.platform == "windows64")
            #expect(try await EnrolmentApiTests.enrol(client, secret).status == .created)
            // One changed byte in the signed JSON and the signature no longer holds.
            var tampered = bytes
            tampered[trailer.binary.count + 3] ^= 0x01
            #expect(SupportAgentTrailerTests.Served(tampered)?.verifies == false)
            #expect((result["installCommand"] as? String)?.contains("Get-FileHash") == true)
            #expect((result["installCommand"] as? String)?.contains(secret) == false, "no secret on a command line")
            let audit = try await EnrolmentApiTests.auditDetails(client, admin, action: "build.create")
            #expect(audit.count == 1 && audit[0].outcome == "success" && audit[0].detail.hasPrefix("exe windows64"))
        }
    }

    @Test func aDebIsAnArArchiveWithTheControlAndDataMembers() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = Self.agentDirectory }) { _, client, admin async throws in
            let result = try await Self.build(client, as: admin, #"{"format":"deb","platform":"linux64"}"#)
            let download = try #require(result["download"] as? [String: Any])
            let url = try #require(download["url"] as? String)
            let path = try #require(URLComponents(string: url)?.path)
            let bytes = Array(try await client.call(.get, path).body.readableBytesView)
            #expect(bytes.starts(with: Array("!<arch>\ndebian-binary   ".utf8)))
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("control.tar") && text.contains("data.tar") && text.contains("Package: guruconnect-agent"))
            #expect(text.contains("WantedBy=multi-user.target"))
            let script = try await client.call(.get, path + "/install.sh")
            #expect(script.status == .ok && String(buffer: script.body).contains("sha256sum"))
            #expect((result["installCommand"] as? String)?.hasSuffix("| sudo sh -s -- \(try #require(download["sha256"] as? String))") == true)
        }
    }

    @Test func formatsMustFitThePlatformAndMissingAgentsAndLinksSaySo() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = Self.agentDirectory }) { _, client, admin async throws in
            #expect(try await client.call(.post, "/api/build", as: admin, json: #"{"format":"deb","platform":"windows64"}"#).status == .badRequest)
            #expect(try await client.call(.post, "/api/build", as: admin, json: #"{"format":"msi","platform":"linux64"}"#).status == .badRequest)
            let x86 = try await client.call(.post, "/api/build", as: admin, json: #"{"format":"exe","platform":"windows32"}"#)
            let x86Error = try client.json(x86)["error"] as? String
            #expect(x86.status == .serviceUnavailable && x86Error == "agent_unavailable")
            let options = try client.json(try await client.call(.get, "/api/build/options", as: admin))
            let platforms = try #require(options["platforms"] as? [[String: Any]])
            #expect(platforms.map { $0["available"] as? Bool } == [true, false, true])
            #expect(platforms[1]["note"] as? String == "Not yet available")
            #expect(try await client.call(.get, "/api/build/downloads/\(SecureToken.make())").status == .notFound)
            #expect(try await client.call(.get, "/api/build/downloads/..%2F..%2Fserver.key").status != .ok, "no path reaches outside the folder")
            #expect(try await client.call(.post, "/api/build/downloads/\(SecureToken.make())/email", as: admin, json: #"{"to":"a@example.com"}"#).status == .notFound)
            // No agent at all: nothing to build, and no token is left behind for it.
        }
        try await TestServer.withAdmin({ $0.agentDirectory = "/nonexistent" }) { server, client, admin async throws in
            let response = try await client.call(.post, "/api/build", as: admin, json: #"{"format":"exe"}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(try await server.store.enrolmentTokens.list().isEmpty)
        }
    }

    @Test func suggestionsListCompaniesAndSitesAlreadyInUse() async throws {
        try await TestServer.withAdmin({ $0.agentDirectory = Self.agentDirectory }) { server, client, admin async throws in
            _ = try await EnrolmentApiTests.createToken(client, as: admin, #"{"metadata":{"company":"Zeta Corp","site":"Denver"}}"#)
            _ = try await EnrolmentApiTests.createToken(client, as: admin, #"{"metadata":{"company":"acme","site":"Denver"}}"#)
            _ = try await AgentEnrolment.enrol(name: "PC", createdBy: "admin", store: server.store, metadata: MachineMetadata(company: "Machines Ltd"))
            let suggestions = try client.json(try await client.call(.get, "/api/build/suggestions", as: admin))
            #expect(suggestions["companies"] as? [String] == ["acme", "Machines Ltd", "Zeta Corp"])
            #expect(suggestions["sites"] as? [String] == ["Denver"])
        }
    }

    @Test func smtpSettingsSealThePasswordAndNeverReturnIt() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let body = #"{"host":"127.0.0.1","port":2525,"security":"none","username":"mailer","password":"pa55-word-xyz","from":"support@example.com"}"#
            let saved = try await client.call(.put, "/api/settings/smtp", as: admin, json: body)
            #expect(saved.status == .ok)
            #expect(!String(buffer: saved.body).contains("pa55-word-xyz"))
            let shown = try await client.call(.get, "/api/settings/smtp", as: admin)
            let passwordSet = try client.json(shown)["passwordSet"] as? Bool
            #expect(!String(buffer: shown.body).contains("pa55-word-xyz") && passwordSet == true)
            let stored = try #require(try await server.store.settings.document("smtp"))
            #expect(!stored.contains("pa55-word-xyz"))
            // Saving without a password keeps it; "" removes it.
            _ = try await client.call(.put, "/api/settings/smtp", as: admin, json: #"{"host":"127.0.0.1","port":2525,"security":"none","username":"mailer","from":"support@example.com"}"#)
            #expect((try client.json(try await client.call(.get, "/api/settings/smtp", as: admin))["passwordSet"] as? Bool) == true)
            _ = try await client.call(.put, "/api/settings/smtp", as: admin, json: #"{"host":"127.0.0.1","port":2525,"security":"none","username":"mailer","password":"","from":"support@example.com"}"#)
            #expect((try client.json(try await client.call(.get, "/api/settings/smtp", as: admin))["passwordSet"] as? Bool) == false)
            for bad in [#"{"host":"a b","port":25,"security":"none","username":"","from":"x@example.com"}"#,
                        #"{"host":"h","port":0,"security":"none","username":"","from":"x@example.com"}"#,
                        #"{"host":"h","port":25,"security":"none","username":"","from":"not-an-address"}"#,
                        #"{"host":"h","port":25,"security":"none","username":"","from":"a@b.com\r\nRCPT TO:<x@y.z>"}"#] {
                #expect(try await client.call(.put, "/api/settings/smtp", as: admin, json: bad).status == .badRequest, "\(bad)")
            }
            let injected = try await client.call(.post, "/api/settings/smtp/test", as: admin, json: #"{"to":"a@b.com>\r\nDATA"}"#)
            #expect(injected.status == .badRequest)
        }
    }

    @Test func theMsiSourceDeclaresEveryPublicPropertyAndBothCustomActions() {
        let wxs = MsiPackage(agent: [], version: "1.0.0").wxs(agentSource: "/tmp/agent.exe")
        for property in MsiPackage.publicProperties {
            #expect(wxs.contains(#"Name="\#(property)" Type="string" Value="[\#(property)]""#))
        }
        #expect(wxs.contains(#"ExeCommand="--install --from-msi" Execute="deferred" Impersonate="no""#))
        #expect(wxs.contains(#"<Custom Action="AgentUninstall" Before="RemoveFiles">REMOVE="ALL"</Custom>"#))
        #expect(wxs.contains(#"<Property Id="MsiHiddenProperties" Value="ENROLLTOKEN"/>"#))
    }
}
