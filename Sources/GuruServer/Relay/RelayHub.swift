import Foundation
import GuruProtocol

/// Who is connected and who may join whom. Routes relay frames between an agent and its viewers
/// without reading them (they are end-to-end sealed).
actor RelayHub {
    /// Permission to join one agent, handed out over HTTP after the permission check; single use.
    struct JoinGrant: Sendable {
        let agentId: String
        let userId: String
        /// Shown to the end user by the agent (`viewerInfo`).
        let displayName: String
        let mode: ViewerMode
        let expires: Date
    }

    private struct Viewer {
        let agentId: String
        let userId: String
        let mode: ViewerMode
        /// What `viewerInfo` tells the agent: told again to a replacing agent connection.
        let displayName: String
        let link: RelayLink
    }

    /// Whether a viewer could join its session.
    enum Admission: Sendable, Equatable {
        case joined
        case agentOffline
        /// The session has `RelayLimits.viewersPerSession` viewers already.
        case sessionFull
    }

    static let grantLifetime: TimeInterval = 60
    static let heartbeatSeconds: UInt16 = 20
    /// The caps of every queue and session (docs/protocol.md §2.4).
    let limits: RelayLimits

    init(limits: RelayLimits = RelayLimits()) {
        self.limits = limits
    }

    private var agents: [String: RelayLink] = [:]
    private var viewers: [UInt32: Viewer] = [:]
    private var grants: [String: JoinGrant] = [:]
    private var lastConnectionId: UInt32 = 0
    /// Since when each agent has had no viewer (support sessions end after an idle timeout).
    private var idleSince: [String: Date] = [:]

    func newConnectionId() -> UInt32 {
        lastConnectionId = lastConnectionId == .max ? 1 : lastConnectionId + 1
        return lastConnectionId
    }

    func isOnline(_ agentId: String) -> Bool { agents[agentId] != nil }

    /// Ends every agent and viewer link silent past its limit at `time` (`LinkLiveness`); returns how many.
    /// Each link's own connection then closes its socket and cleans up as for any other end.
    @discardableResult
    func endSilentLinks(at time: Int64 = LinkLiveness.now()) -> Int {
        var ended = 0
        for link in agents.values where link.liveness.isSilent(at: time) {
            link.liveness.expire()
            link.finish()
            ended += 1
        }
        for viewer in viewers.values where viewer.link.liveness.isSilent(at: time) {
            viewer.link.liveness.expire()
            viewer.link.finish()
            ended += 1
        }
        return ended
    }

    func onlineAgents() -> Set<String> { Set(agents.keys) }

    /// The agents a viewer is connected to now ("Host Connected").
    func agentsWithViewers() -> Set<String> { Set(viewers.values.map(\.agentId)) }

    /// Sends `envelope` to the agent's current connection; false when it is not connected.
    func send(_ envelope: Envelope, toAgent agentId: String) -> Bool {
        guard let link = agents[agentId] else { return false }
        link.send(envelope)
        return true
    }

    /// Registers an agent's connection. An older connection of the same agent is closed and replaced
    /// (a reconnect, or an agent process handing its session to an elevated one): its viewers stay, and
    /// the new connection is told about each, in ascending id order, as at their join (docs/protocol.md
    /// §1). Only a connection that proved the recorded identity key gets here (`proveIdentity`). Returns
    /// the replaced connection's id.
    @discardableResult
    func agentConnected(_ agentId: String, link: RelayLink) -> UInt32? {
        let replaced = agents[agentId]
        replaced?.finish()
        agents[agentId] = link
        if !hasViewers(agentId), idleSince[agentId] == nil { idleSince[agentId] = Date() }
        let session = Self.idBytes(agentId)
        for (id, viewer) in viewers.filter({ $0.value.agentId == agentId }).sorted(by: { $0.key < $1.key }) {
            announce(id, viewer, session: session, to: link)
        }
        return replaced?.connectionId
    }

    /// Whether `connectionId` is the agent's current connection (not one replaced since).
    func isCurrent(_ agentId: String, connectionId: UInt32) -> Bool {
        agents[agentId]?.connectionId == connectionId
    }

    /// Forgets the agent's connection (if it is still the current one) and ends its viewers' sessions.
    /// Returns whether it was the current one.
    @discardableResult
    func agentDisconnected(_ agentId: String, connectionId: UInt32) -> Bool {
        guard agents[agentId]?.connectionId == connectionId else { return false }
        agents[agentId] = nil
        let session = Self.idBytes(agentId)
        for (id, viewer) in viewers where viewer.agentId == agentId {
            viewer.link.send(.sessionEnd(sessionId: session, reason: 1))
            viewer.link.finish()
            viewers[id] = nil
        }
        return true
    }

    /// Closes an agent's connection, for example when it is deleted.
    func disconnect(agentId: String) {
        guard let link = agents[agentId] else { return }
        link.finish()
        agentDisconnected(agentId, connectionId: link.connectionId)
    }

    /// A one-time join token for a viewer.
    func grant(agentId: String, userId: String, displayName: String, mode: ViewerMode) -> String {
        let now = Date()
        grants = grants.filter { $0.value.expires > now }
        let token = SecureToken.make()
        grants[SecureToken.sha256Hex(token)] = JoinGrant(agentId: agentId, userId: userId, displayName: displayName, mode: mode, expires: now.addingTimeInterval(Self.grantLifetime))
        return token
    }

    /// Spends a join token for the session (agent) it was issued for.
    func redeem(token: String, sessionId: String) -> JoinGrant? {
        let key = SecureToken.sha256Hex(token)
        guard let grant = grants.removeValue(forKey: key), grant.expires > Date(), grant.agentId == sessionId else { return nil }
        return grant
    }

    /// Attaches a viewer and tells its agent, unless the agent is not connected or its session is full.
    func viewerConnected(_ viewerId: UInt32, grant: JoinGrant, link: RelayLink) -> Admission {
        guard let agent = agents[grant.agentId] else { return .agentOffline }
        guard viewers.values.count(where: { $0.agentId == grant.agentId }) < limits.viewersPerSession else { return .sessionFull }
        let viewer = Viewer(agentId: grant.agentId, userId: grant.userId, mode: grant.mode, displayName: grant.displayName, link: link)
        viewers[viewerId] = viewer
        idleSince[grant.agentId] = nil
        announce(viewerId, viewer, session: Self.idBytes(grant.agentId), to: agent)
        return .joined
    }

    /// Tells an agent connection about one of its viewers: `viewerJoined`, then `viewerInfo`.
    private func announce(_ viewerId: UInt32, _ viewer: Viewer, session: [UInt8], to agent: RelayLink) {
        agent.send(.viewerJoined(sessionId: session, viewerId: viewerId, mode: viewer.mode))
        agent.send(.viewerInfo(viewerId: viewerId, name: Self.fitting(viewer.displayName, bytes: 255)))
    }

    func viewerDisconnected(_ viewerId: UInt32) {
        guard let viewer = viewers.removeValue(forKey: viewerId) else { return }
        agents[viewer.agentId]?.send(.viewerLeft(viewerId: viewerId, reason: 0))
        if !hasViewers(viewer.agentId) { idleSince[viewer.agentId] = Date() }
    }

    /// `text` cut at a character boundary to at most `bytes` UTF-8 bytes (a long name keeps its start).
    static func fitting(_ text: String, bytes: Int) -> String {
        var result = text
        while result.utf8.count > bytes { result.removeLast() }
        return result
    }

    /// Ends a session for good: the agent and every viewer are told why, then disconnected.
    func endSession(_ agentId: String, reason: SessionEndReason) {
        let session = Self.idBytes(agentId)
        for (id, viewer) in viewers where viewer.agentId == agentId {
            viewer.link.send(.sessionEnd(sessionId: session, reason: reason.rawValue))
            viewer.link.finish()
            viewers[id] = nil
        }
        if let agent = agents.removeValue(forKey: agentId) {
            agent.send(.sessionEnd(sessionId: session, reason: reason.rawValue))
            agent.finish()
        }
        idleSince[agentId] = nil
    }

    /// Closes every viewer of an agent (a transfer: the new owner joins afresh).
    func closeViewers(of agentId: String, reason: SessionEndReason) {
        for (id, viewer) in viewers where viewer.agentId == agentId {
            viewer.link.send(.sessionEnd(sessionId: Self.idBytes(agentId), reason: reason.rawValue))
            viewer.link.finish()
            viewers[id] = nil
            agents[agentId]?.send(.viewerLeft(viewerId: id, reason: reason.rawValue))
        }
        if agents[agentId] != nil { idleSince[agentId] = Date() }
    }

    /// Which of `candidates` have had no viewer for longer than `idle`. A candidate not seen yet (after a
    /// restart, its agent gone) starts its idle clock now.
    func idleSessions(_ candidates: [String], longerThan idle: TimeInterval, now: Date) -> Set<String> {
        var result = Set<String>()
        for id in candidates where !hasViewers(id) {
            let since = idleSince[id] ?? now
            idleSince[id] = since
            if now.timeIntervalSince(since) > idle { result.insert(id) }
        }
        return result
    }

    /// The users watching or controlling an agent now.
    func viewerUsers(of agentId: String) -> [String] {
        viewers.values.filter { $0.agentId == agentId }.map(\.userId)
    }

    private func hasViewers(_ agentId: String) -> Bool {
        viewers.values.contains { $0.agentId == agentId }
    }

    /// An agent's record for one of its own viewers, from the agent's current connection; records
    /// addressed to anyone else, or still read from a connection replaced since, are dropped. The mark
    /// stays with the relay (the viewer's queue drops picture frames whole); the viewer gets none.
    func relayFromAgent(_ agentId: String, connectionId: UInt32, peerId: UInt32, record: [UInt8], mark: RelayMark) {
        guard isCurrent(agentId, connectionId: connectionId), let viewer = viewers[peerId], viewer.agentId == agentId else { return }
        viewer.link.send(.relay(peerId: 0, record: record), mark: mark)
    }

    /// The link of a viewer's agent: the viewer's records are forwarded to it with the viewer's id,
    /// outside the hub, since forwarding waits while the agent's queue is full.
    func agentLink(ofViewer viewerId: UInt32) -> RelayLink? {
        viewers[viewerId].flatMap { agents[$0.agentId] }
    }

    /// Agent ids are 16 bytes on the wire and 32 hex digits elsewhere.
    static func idBytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }

    static func idHex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
