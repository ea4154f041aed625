import Foundation
import GuruProtocol
import Testing
@testable import GuruServer

/// `RelayHub` when an agent's connection is replaced by a new one of the same agent (a reconnect, or the
/// agent handing its session to an elevated process; docs/protocol.md §1): the viewers stay, the new
/// connection is told about each, and the old one can no longer reach them.
@Suite("Relay hub: a replaced agent connection")
struct RelayHubReplacementTests {
    static let agentId = String(repeating: "ab", count: 16)
    static let otherAgentId = String(repeating: "cd", count: 16)

    static func grant(_ agentId: String, _ name: String, _ mode: ViewerMode) -> RelayHub.JoinGrant {
        RelayHub.JoinGrant(agentId: agentId, userId: "user-\(name)", displayName: name, mode: mode, expires: .distantFuture)
    }

    static func link(_ id: UInt32, _ role: RelayLink.Role) -> RelayLink {
        RelayLink(connectionId: id, role: role, limits: RelayLimits())
    }

    /// Everything queued on `link`, in order; ends the link.
    static func drain(_ link: RelayLink) async throws -> [Envelope] {
        link.finish()
        var out: [Envelope] = []
        while let frame = await link.next() { out.append(try EnvelopeCodec.decode(frame)) }
        return out
    }

    /// Whether the hub ended `link`: a finished queue takes nothing more (a live one queues the probe).
    static func isFinished(_ link: RelayLink) -> Bool {
        link.queue.offer([0x00], mark: .picture) == .dropped
    }

    @Test func theNewConnectionIsToldOfEveryViewerInIdOrderAndTheOldOneNoLongerReachesThem() async throws {
        let hub = RelayHub()
        let session = RelayHub.idBytes(Self.agentId)
        let old = Self.link(1, .agent)
        #expect(await hub.agentConnected(Self.agentId, link: old) == nil)
        let other = Self.link(2, .agent)
        await hub.agentConnected(Self.otherAgentId, link: other)
        // Joined out of id order, with both modes; a viewer of another agent is not announced.
        let joins: [(id: UInt32, name: String, mode: ViewerMode)] = [(9, "Zoë", .view), (4, "Dora", .control), (7, "Mo", .view)]
        let viewers = joins.map { (id: $0.id, name: $0.name, mode: $0.mode, link: Self.link($0.id, .viewer)) }
        for viewer in viewers {
            #expect(await hub.viewerConnected(viewer.id, grant: Self.grant(Self.agentId, viewer.name, viewer.mode), link: viewer.link) == .joined)
        }
        let stranger = Self.link(5, .viewer)
        #expect(await hub.viewerConnected(5, grant: Self.grant(Self.otherAgentId, "Stranger", .control), link: stranger) == .joined)

        let new = Self.link(10, .agent)
        #expect(await hub.agentConnected(Self.agentId, link: new) == 1)
        #expect(Self.isFinished(old))
        #expect(await hub.isCurrent(Self.agentId, connectionId: 10))
        #expect(await !hub.isCurrent(Self.agentId, connectionId: 1))

        // The old connection's reader is still running until its socket closes: what it sends now is
        // dropped, and its end does not end the viewers.
        await hub.relayFromAgent(Self.agentId, connectionId: 1, peerId: 4, record: [0x02, 0x01], mark: .none)
        await hub.agentDisconnected(Self.agentId, connectionId: 1)
        #expect(await hub.isOnline(Self.agentId))
        #expect(Set(await hub.viewerUsers(of: Self.agentId)) == ["user-Zoë", "user-Dora", "user-Mo"])
        await hub.relayFromAgent(Self.agentId, connectionId: 10, peerId: 4, record: [0x02, 0x02], mark: .none)
        // The new connection reaches a viewer's records too (the viewer's id did not change).
        #expect(await hub.agentLink(ofViewer: 7)?.connectionId == 10)

        let told = try await Self.drain(new)
        let expected: [Envelope] = viewers.sorted { $0.id < $1.id }.flatMap { viewer in
            [.viewerJoined(sessionId: session, viewerId: viewer.id, mode: viewer.mode), .viewerInfo(viewerId: viewer.id, name: viewer.name)]
        }
        #expect(told == expected)
        // Each viewer got only what the new connection sent it: no SessionEnd, nothing from the old one.
        let dora = try await Self.drain(viewers[1].link)
        #expect(dora == [.relay(peerId: 0, record: [0x02, 0x02])])
        for viewer in [viewers[0], viewers[2]] {
            #expect(try await Self.drain(viewer.link).isEmpty)
        }
        // The other agent's connection and viewer were not touched.
        #expect(try await Self.drain(other) == [
            .viewerJoined(sessionId: RelayHub.idBytes(Self.otherAgentId), viewerId: 5, mode: .control),
            .viewerInfo(viewerId: 5, name: "Stranger"),
        ])
        #expect(try await Self.drain(stranger).isEmpty)
    }

    @Test func theCurrentConnectionsEndStillEndsTheViewers() async throws {
        let hub = RelayHub()
        await hub.agentConnected(Self.agentId, link: Self.link(1, .agent))
        let viewer = Self.link(2, .viewer)
        #expect(await hub.viewerConnected(2, grant: Self.grant(Self.agentId, "Dora", .control), link: viewer) == .joined)
        let new = Self.link(3, .agent)
        await hub.agentConnected(Self.agentId, link: new)
        await hub.agentDisconnected(Self.agentId, connectionId: 3)
        #expect(await !hub.isOnline(Self.agentId))
        #expect(Self.isFinished(viewer))
        #expect(try await Self.drain(viewer) == [.sessionEnd(sessionId: RelayHub.idBytes(Self.agentId), reason: 1)])
    }

    @Test func aFirstConnectionReplacesNothingAndAnnouncesNoOne() async throws {
        let hub = RelayHub()
        let first = Self.link(1, .agent)
        #expect(await hub.agentConnected(Self.agentId, link: first) == nil)
        #expect(try await Self.drain(first).isEmpty)
    }
}

/// The watchdog's rule: a link silent for three heartbeats and the grace is ended, a link heard from is not.
@Suite("Relay link liveness")
struct LinkLivenessTests {
    @Test func aSilentLinkIsEndedAndSaysWhyAndAHeardOneStays() async throws {
        let hub = RelayHub()
        let quiet = RelayLink(connectionId: 1, role: .agent, limits: RelayLimits(), heartbeatSeconds: 10)
        let chatty = RelayLink(connectionId: 2, role: .agent, limits: RelayLimits(), heartbeatSeconds: 10)
        await hub.agentConnected(String(format: "%032x", 1), link: quiet)
        await hub.agentConnected(String(format: "%032x", 2), link: chatty)
        let start = LinkLiveness.now()
        #expect(quiet.liveness.limitSeconds == 45)
        #expect(await hub.endSilentLinks(at: start + 45) == 0)  // exactly at the limit: still alive
        chatty.liveness.heard(at: start + 40)
        #expect(await hub.endSilentLinks(at: start + 46) == 1)
        #expect(quiet.liveness.hasExpired && quiet.overflowReason == "no heartbeat")
        #expect(await quiet.next() == nil)  // its writer sees the end and closes the socket
        #expect(!chatty.liveness.hasExpired && chatty.overflowReason == nil)
        #expect(await hub.endSilentLinks(at: start + 86) == 2)  // chatty went quiet too (quiet is ended again, harmlessly)
    }
}
