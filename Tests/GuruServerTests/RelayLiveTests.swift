import Crypto
import Foundation
import GuruProtocol
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Testing
@testable import GuruServer

/// The relay over real WebSockets (`app.test(.live)`): a slow viewer, an agent replaced by a new
/// connection, the hello timeout and oversized frames.
@Suite("Relay over live WebSockets", .timeLimit(.minutes(2)))
struct RelayLiveTests {
    /// What a test gets: the client, the admin, and one enrolled agent.
    struct Setting {
        let client: any TestClientProtocol
        let admin: Caller
        let agentId: String
        let credential: String

        /// The agent's identity key: every connection of this agent proves it (docs/protocol.md §1.1).
        let identity = Curve25519.Signing.PrivateKey()

        /// An agent connection that said hello and answered the identity challenge.
        func agent() async throws -> LivePeer {
            let peer = LivePeer(client, "/api/agent/ws")
            let id = RelayHub.idBytes(agentId)
            try peer.send(.agentHello(agentId: id, credential: Array(credential.utf8), agentVersion: "live-test"))
            guard case .agentChallenge(let nonce) = await peer.next() else { throw Unexpected.message("no AgentChallenge") }
            let key = Array(identity.publicKey.rawRepresentation)
            let signature = try identity.signature(for: AgentProofCheck.message(agentId: id, nonce: nonce, identityKey: key))
            try peer.send(.agentProof(identityKey: key, signature: Array(signature)))
            return peer
        }

        /// A viewer of the agent, joined with a fresh ticket.
        func viewer(reading: Bool = true) async throws -> LivePeer {
            let response = try await client.call(.post, "/api/agents/\(agentId)/join", as: admin, json: #"{"mode":"view"}"#)
            #expect(response.status == .ok)
            let ticket = try client.json(response)
            let token = try #require(ticket["joinToken"] as? String)
            let peer = LivePeer(client, "/api/viewer/ws", reading: reading)
            try peer.send(.viewerJoin(sessionId: RelayHub.idBytes(agentId), joinToken: Array(token.utf8), mode: .view))
            return peer
        }
    }

    static func live(
        _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (Setting) async throws -> Void
    ) async throws {
        let server = try await TestServer.make(configure)
        try await server.application.test(.live) { client in
            // After the start: the migrations run before the server listens.
            let (agent, credential) = try await AgentEnrolment.enrol(name: "LIVE-PC", createdBy: nil, store: server.store)
            try await client.setUpAdmin()
            try await body(Setting(client: client, admin: try await client.signIn("admin"), agentId: agent.id, credential: credential))
        }
    }

    static func welcomeId(_ peer: LivePeer) async throws -> UInt32 {
        guard case .welcome(let id, _) = await peer.next() else { throw Unexpected.message("no Welcome") }
        return id
    }

    /// The agent's ViewerJoined (and the ViewerInfo after it): the viewer's id.
    static func joinedId(_ agent: LivePeer) async throws -> UInt32 {
        guard case .viewerJoined(_, let id, _) = await agent.next() else { throw Unexpected.message("no ViewerJoined") }
        guard case .viewerInfo(id, _) = await agent.next() else { throw Unexpected.message("no ViewerInfo") }
        return id
    }

    enum Unexpected: Error {
        case message(String)
    }

    /// A picture record: `0x02`, then frame and part, then filler.
    static func picture(_ frame: Int, _ part: Int, size: Int = 64 * 1024) -> [UInt8] {
        [0x02, UInt8(frame >> 8), UInt8(frame & 0xFF), UInt8(part)] + [UInt8](repeating: 0xAB, count: size - 4)
    }

    @Test func aSlowViewerSkipsWholeFramesAndDoesNotStallAFastOne() async throws {
        try await Self.live({ $0.relayQueueBytes = 2 * 1024 * 1024 }) { setting in
            let agent = try await setting.agent()
            _ = try await Self.welcomeId(agent)
            let slow = try await setting.viewer(reading: false)
            let slowId = try await Self.joinedId(agent)
            let fast = try await setting.viewer()
            let fastId = try await Self.joinedId(agent)
            #expect(try await Self.welcomeId(fast) == fastId)
            // 100 frames of 3 records (192 KiB each): 19 MiB for each viewer, far past what the slow
            // one's socket buffers and its 2 MiB queue hold. The fast viewer paces the agent, as its
            // acks would, and gets every record in order.
            let frames = 100, parts = 3
            for frame in 0..<frames {
                for part in 0..<parts {
                    let mark: RelayMark = part == parts - 1 ? .frameEnd : .picture
                    try agent.send(.relay(peerId: slowId, record: Self.picture(frame, part), mark: mark))
                    try agent.send(.relay(peerId: fastId, record: Self.picture(frame, part), mark: mark))
                }
                for part in 0..<parts {
                    guard case .relay(0, let record, .none) = await fast.next() else { throw Unexpected.message("fast viewer: no record") }
                    #expect(Array(record.prefix(4)) == Array(Self.picture(frame, part).prefix(4)))
                }
            }
            // An unmarked record is never dropped: the slow viewer reads up to it.
            try agent.send(.relay(peerId: slowId, record: [0x02, 0xFF, 0xFF, 0xFF]))
            slow.startReading()
            #expect(try await Self.welcomeId(slow) == slowId)
            var got: [[Int]] = []
            while case .relay(0, let record, _) = await slow.next(), record != [0x02, 0xFF, 0xFF, 0xFF] {
                got.append([Int(record[1]) << 8 | Int(record[2]), Int(record[3])])
            }
            let seen = got.map { $0[0] }
            // Whole frames only, in order, the newest among them, and far from all of them.
            #expect(seen == seen.sorted())
            #expect(Dictionary(grouping: got, by: { $0[0] }).values.allSatisfy { $0.map { $0[1] } == [0, 1, 2] })
            #expect(seen.last == frames - 1)
            #expect(Set(seen).count < frames / 2, "the slow viewer got \(Set(seen).count) of \(frames) frames")
        }
    }

    @Test func aNewConnectionOfTheSameAgentReplacesTheOldOne() async throws {
        try await Self.live { setting in
            let first = try await setting.agent()
            let firstId = try await Self.welcomeId(first)
            let second = try await setting.agent()
            #expect(try await Self.welcomeId(second) != firstId)
            let closed = try await first.closed()
            #expect(closed?.closeCode == .normalClosure)
            // The old connection's end did not take the new one off: a viewer reaches the new one.
            let viewer = try await setting.viewer()
            let viewerId = try await Self.joinedId(second)
            #expect(try await Self.welcomeId(viewer) == viewerId)
            try second.send(.ping(nonce: 5))
            #expect(await second.next() == .pong(nonce: 5))
        }
    }

    /// An agent process handing its session to another (Run as administrator): the new connection proves
    /// the same key and is told about the viewer that stayed. Another key is refused and displaces
    /// nothing (tests/integration/test_support_binding.py, both for support sessions and enrolled agents).
    @Test func aReplacingConnectionIsToldOfTheViewersThatStayed() async throws {
        try await Self.live { setting in
            let first = try await setting.agent()
            let firstId = try await Self.welcomeId(first)
            let viewer = try await setting.viewer()
            let viewerId = try await Self.joinedId(first)
            #expect(try await Self.welcomeId(viewer) == viewerId)

            let second = try await setting.agent()
            #expect(try await Self.welcomeId(second) != firstId)
            guard case .viewerJoined(let session, viewerId, .view) = await second.next() else { throw Unexpected.message("no ViewerJoined") }
            #expect(session == RelayHub.idBytes(setting.agentId))
            #expect(await second.next() == .viewerInfo(viewerId: viewerId, name: "Admin"))
            #expect(try await first.closed()?.closeCode == .normalClosure)
            let audit = try setting.client.json(try await setting.client.call(.get, "/api/audit?action=agent.replaced", as: setting.admin))
            #expect(audit["total"] as? Int == 1)

            // The viewer is still attached, reaches the new connection and is reached by it.
            try viewer.send(.ping(nonce: 8))
            #expect(await viewer.next() == .pong(nonce: 8))
            try viewer.send(.relay(peerId: 0, record: [0x01, 0x07]))
            #expect(await second.next() == .relay(peerId: viewerId, record: [0x01, 0x07]))
            try second.send(.relay(peerId: viewerId, record: [0x03, 0x09]))
            #expect(await viewer.next() == .relay(peerId: 0, record: [0x03, 0x09]))
        }
    }

    @Test func aConnectionThatNeverSaysHelloIsClosed() async throws {
        try await Self.live({ $0.relayHelloTimeout = .milliseconds(500) }) { setting in
            let greeted = try await setting.agent()
            _ = try await Self.welcomeId(greeted)
            let started = ContinuousClock.now
            let silent = LivePeer(setting.client, "/api/viewer/ws")
            let closed = try await silent.closed()
            #expect(closed?.closeCode == .policyViolation)
            #expect(closed?.reason == "no hello in time")
            #expect(ContinuousClock.now - started >= .milliseconds(500))
            // The connection that said hello in time outlived the deadline.
            try greeted.send(.ping(nonce: 1))
            #expect(await greeted.next() == .pong(nonce: 1))
        }
    }

    @Test func oversizedFramesCloseOnlyTheirConnection() async throws {
        try await Self.live { setting in
            // One WebSocket frame past the largest envelope frame: refused by the WebSocket layer.
            let tooLarge = try await setting.agent()
            _ = try await Self.welcomeId(tooLarge)
            tooLarge.send(raw: [UInt8](repeating: 0, count: EnvelopeCodec.maxFrame + 1))
            #expect(try await tooLarge.closed()?.closeCode == .messageTooLarge)
            // A header that declares more than the maximum: refused from the header alone.
            let lying = try await setting.agent()
            _ = try await Self.welcomeId(lying)
            lying.send(raw: [1, 0x30, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 7, 0x02])
            let closed = try await lying.closed()
            #expect(closed?.closeCode == .protocolError && closed?.reason == "FrameTooLarge")
            // The server is unharmed: the agent connects again and is answered.
            let again = try await setting.agent()
            _ = try await Self.welcomeId(again)
            try again.send(.ping(nonce: 3))
            #expect(await again.next() == .pong(nonce: 3))
            let health = try await setting.client.call(.get, "/healthz")
            #expect(health.status == .ok)
        }
    }
}
