import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// First-run setup on a network-reachable bind needs the one-time token printed at start (issue #11).
@Suite("Setup token")
struct SetupTokenTests {
    static func setupBody(token: String?) -> String {
        let tokenField = token.map { #","setupToken":"\#($0)""# } ?? ""
        return #"{"username":"admin","displayName":"Admin","password":"\#(TestServer.password)"\#(tokenField)}"#
    }

    @Test func aNetworkBindRefusesSetupWithoutTheToken() async throws {
        let server = try await TestServer.make { $0.host = "0.0.0.0" }
        let token = try #require(server.setupToken)
        try await server.application.test(.router) { client in
            let status = try client.json(try await client.call(.get, "/api/setup/status"))
            #expect(status["tokenRequired"] as? Bool == true)
            let missing = try await client.call(.post, "/api/setup", json: Self.setupBody(token: nil))
            #expect(missing.status == .forbidden)
            #expect(try client.json(missing)["error"] as? String == "setup_token")
            #expect(try await client.call(.post, "/api/setup", json: Self.setupBody(token: "x" + token)).status == .forbidden)
            #expect(try await server.store.users.list().isEmpty)
            #expect(try await client.call(.post, "/api/setup", json: Self.setupBody(token: token)).status == .created)
            #expect(try await client.call(.post, "/api/setup", json: Self.setupBody(token: token)).status == .notFound)
        }
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
    func aLoopbackBindNeedsNoToken(host: String) async throws {
        let server = try await TestServer.make { $0.host = host }
        #expect(server.setupToken == nil)
        try await server.application.test(.router) { client in
            let status = try client.json(try await client.call(.get, "/api/setup/status"))
            #expect(status["tokenRequired"] as? Bool == false)
            #expect(try await client.call(.post, "/api/setup", json: Self.setupBody(token: nil)).status == .created)
        }
    }
}
