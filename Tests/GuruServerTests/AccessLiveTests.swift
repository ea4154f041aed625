import Crypto
import Foundation
import GuruProtocol
import GuruStore
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Testing
@testable import GuruServer

/// The Access tab's live side over real WebSockets: the list's online state follows the agent's
/// connection, dashboards hear `agents.changed`, and Wake reaches the relay agent as a WakeOnLan envelope.
@Suite("Access over live WebSockets", .timeLimit(.minutes(2)))
struct AccessLiveTests {
    static let relayInventory = #"{"hostname":"RELAY","network":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:01","addresses":["192.168.1.10/24"]}]}"#
    static let sleeperInventory = #"{"hostname":"SLEEPER","network":[{"name":"eth0","mac":"00:11:22:33:44:55","addresses":["192.168.1.45/24"]}]}"#

    @Test func onlineStateNoticesAndWakeFollowTheRelay() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            let (relay, credential) = try await AgentEnrolment.enrol(name: "RELAY", createdBy: nil, store: server.store)
            let (sleeper, _) = try await AgentEnrolment.enrol(name: "SLEEPER", createdBy: nil, store: server.store)
            try await server.store.database.query("UPDATE agents SET inventory_json = ?, internal_ips = ?, macs = ? WHERE id = ?",
                                                  [.text(Self.relayInventory), .text("192.168.1.10"), .text("aa:bb:cc:dd:ee:01"), .text(relay.id)])
            try await server.store.database.query("UPDATE agents SET inventory_json = ?, internal_ips = ?, macs = ? WHERE id = ?",
                                                  [.text(Self.sleeperInventory), .text("192.168.1.45"), .text("00:11:22:33:44:55"), .text(sleeper.id)])
            try await client.setUpAdmin()
            let admin = try await client.signIn("admin")
            let dashboard = DashboardPeer(client, as: admin)
            try await dashboard.hello()

            let identity = Curve25519.Signing.PrivateKey()
            let agent = LivePeer(client, "/api/agent/ws")
            let id = RelayHub.idBytes(relay.id)
            try agent.send(.agentHello(agentId: id, credential: Array(credential.utf8), agentVersion: "0.1.0"))
            guard case .agentChallenge(let nonce) = await agent.next() else { throw Failure.message("no AgentChallenge") }
            let key = Array(identity.publicKey.rawRepresentation)
            let signature = try identity.signature(for: AgentProofCheck.message(agentId: id, nonce: nonce, identityKey: key))
            try agent.send(.agentProof(identityKey: key, signature: Array(signature)))
            guard case .welcome = await agent.next() else { throw Failure.message("no Welcome") }

            // The dashboard hears of it, and the list (from the database) says online.
            #expect(await dashboard.next()?["type"] == "agents.changed")
            let listed = try client.json(try await client.call(.get, "/api/agents?status=online", as: admin))
            #expect((listed["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["RELAY"])

            // Wake the sleeper: the relay gets WakeOnLan with its MAC and the subnet's broadcast address.
            let woken = try await client.call(.post, "/api/agents/\(sleeper.id)/wake", as: admin)
            #expect(woken.status == .ok)
            let answer = try client.json(woken)
            #expect(answer["relayId"] as? String == relay.id)
            #expect(answer["broadcast"] as? String == "192.168.1.255")
            guard case .wakeOnLan(let mac, let broadcast) = await agent.next() else { throw Failure.message("no WakeOnLan") }
            #expect(mac == [0x00, 0x11, 0x22, 0x33, 0x44, 0x55])
            #expect(broadcast == [192, 168, 1, 255])
            // The relay itself is online: waking it is refused.
            #expect(try await client.call(.post, "/api/agents/\(relay.id)/wake", as: admin).status == .conflict)

            agent.close()
            _ = try await agent.closed()
            #expect(await dashboard.next()?["type"] == "agents.changed")
            // The disconnect is recorded before the notice goes out.
            let after = try client.json(try await client.call(.get, "/api/agents?status=online", as: admin))
            #expect(after["total"] as? Int == 0)
            dashboard.close()
        }
    }

    @Test func noticesAreCoalesced() async throws {
        let dashboards = DashboardHub()
        let notices = AgentChangeNotices(dashboards: dashboards, interval: .milliseconds(200))
        let (_, stream) = await dashboards.add(userId: "u")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await notices.run() }
            var received = stream.makeAsyncIterator()
            // The first notice is sent after `start`, and the next one an interval after it at the earliest: so
            // however late this task sees the first, the second cannot arrive before start + interval.
            let start = ContinuousClock.now
            for _ in 0..<50 { notices.changed() }
            #expect(await received.next() == AgentChangeNotices.notice)
            // Another burst: one more notice, and not before the interval has passed.
            for _ in 0..<50 { notices.changed() }
            #expect(await received.next() == AgentChangeNotices.notice)
            #expect(ContinuousClock.now - start >= .milliseconds(200))
            group.cancelAll()
        }
    }

    enum Failure: Error { case message(String) }
}
