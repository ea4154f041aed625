import Foundation
import GuruProtocol
import GuruStore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The agent and viewer WebSocket endpoints: authenticate with the first envelope, then relay.
/// Every inbound message is size-limited by the WebSocket layer and decoded by `EnvelopeCodec`;
/// anything malformed closes that one connection with the error's name.
///
/// A class, not a struct: every async method of a struct keeps its own copy of `self` in its frame, and
/// these frames (1.7 KB of dependencies each, several deep) stay allocated for as long as a connection
/// lasts; a reference is 8 bytes (bench/README.md, "where the memory goes").
final class RelayConnections: Sendable {
    let hub: RelayHub
    let dependencies: ServerDependencies
    let support: SupportSessions
    /// Tells the dashboards when an enrolled agent comes, goes or reports.
    let agentNotices: AgentChangeNotices
    /// Counts AgentHello guesses per address and agent id; throttled hellos get `Reject(RateLimited)`.
    let helloThrottle = AgentHelloThrottle()

    init(hub: RelayHub, dependencies: ServerDependencies, support: SupportSessions, agentNotices: AgentChangeNotices) {
        self.hub = hub
        self.dependencies = dependencies
        self.support = support
        self.agentNotices = agentNotices
    }

    /// A protocol violation that ends the connection.
    struct Violation: Error {
        let code: WebSocketErrorCode
        let reason: String
    }

    func agent(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, _ context: WebSocketRouterContext<AppRequestContext>) async throws {
        try await guarded(inbound, outbound, context) { messages in
            // Admission runs in a function of its own: its frame (the records, the proof, the audit) is freed
            // when it returns, so what stays suspended for the hours an idle agent is connected is small.
            guard let admitted = try await admit(&messages, outbound, context) else { return }
            try await serve(admitted, &messages, outbound, context)
        }
    }

    /// An agent past its hello, its proof and its welcome: what its connection needs while it lasts.
    struct AdmittedAgent: Sendable {
        let id: String
        let enrolled: Bool
        let connectionId: UInt32
        let link: RelayLink
    }

    /// The hello, the credential, the identity proof and the welcome; nil when the agent was refused (and told).
    @inline(never)
    private func admit(
        _ messages: inout EnvelopeMessages, _ outbound: WebSocketOutboundWriter, _ context: WebSocketRouterContext<AppRequestContext>
    ) async throws -> AdmittedAgent? {
        guard case .agentHello(let idBytes, let credential, let version) = try await messages.next() else {
            try await reject(outbound, .badCredential)
            return nil
        }
        guard let attempt = await reserveHello(idBytes, context.requestContext) else {
            try await reject(outbound, .rateLimited)
            return nil
        }
        // The hello counts as a failure until the agent proved its identity key: a stolen credential
        // without the key is throttled like a wrong one.
        let peer: AgentPeer
        do {
            guard let verified = try await verifyAgent(idBytes, credential, context.requestContext) else {
                await helloThrottle.settle(attempt, as: .failed)
                try await reject(outbound, .badCredential)
                return nil
            }
            peer = verified
            // A second agent with the same trailer is refused here, before it can displace the bound one.
            if try await proveIdentity(peer, agentId: idBytes, &messages, outbound, context.requestContext) != nil {
                await helloThrottle.settle(attempt, as: .failed)
                return nil
            }
        } catch {
            await helloThrottle.settle(attempt, as: .failed)
            throw error
        }
        await helloThrottle.settle(attempt, as: .succeeded)
        let agentId = peer.id
        let connectionId = await hub.newConnectionId()
        let heartbeat = try await heartbeat(for: peer)
        let link = RelayLink(connectionId: connectionId, role: .agent, limits: hub.limits, heartbeatSeconds: Int(heartbeat))
        try await send(.welcome(connectionId: connectionId, heartbeatSeconds: heartbeat), outbound)
        // A replaced connection (the same key proved again: a reconnect, or the agent handing its session
        // to an elevated process) keeps its viewers; the new one is told about them (`agentConnected`).
        if let replaced = await hub.agentConnected(agentId, link: link) {
            context.logger.info("agent connection replaced", metadata: ["agent": "\(agentId)", "old": "\(replaced)", "new": "\(connectionId)"])
            await dependencies.audit.record(peer.auditPrefix + ".replaced", .success, context: context.requestContext, target: agentId,
                                            detail: "connection \(replaced) replaced by \(connectionId)")
        }
        switch peer {
        case .enrolled:
            do {
                try await dependencies.store.agents.markSeen(id: agentId, at: .now, agentVersion: version)
            } catch {
                context.logger.warning("could not record the agent as seen", metadata: ["agent": "\(agentId)", "error": "\(error)"])
            }
            await recordConnection(agentId, connectionId: connectionId, connected: true, logger: context.logger)
        case .support: await support.agentPresenceChanged(sessionId: agentId)
        }
        context.logger.info("agent connected", metadata: ["agent": "\(agentId)", "version": "\(version)", "kind": "\(peer.kind)"])
        return AdmittedAgent(id: agentId, enrolled: peer.isEnrolled, connectionId: connectionId, link: link)
    }

    /// Relays an admitted agent's messages until its socket or its link ends, then records it gone.
    private func serve(
        _ agent: AdmittedAgent, _ messages: inout EnvelopeMessages, _ outbound: WebSocketOutboundWriter,
        _ context: WebSocketRouterContext<AppRequestContext>
    ) async throws {
        var inventoryAllowance = TokenBucket(policy: Self.inventoryPolicy, at: .now)
        try await withCleanup {
            try await pump(agent.link, outbound, messages.flow) {
                while let message = try await messages.next() {
                    agent.link.liveness.heard()
                    guard try await handle(message, from: agent, inventoryAllowance: &inventoryAllowance, context) else { return }
                }
            }
        } cleanup: {
            let wasCurrent = await hub.agentDisconnected(agent.id, connectionId: agent.connectionId)
            if !agent.enrolled {
                await support.agentPresenceChanged(sessionId: agent.id)
            } else if wasCurrent {
                await recordConnection(agent.id, connectionId: agent.connectionId, connected: false, logger: context.logger)
            }
        }
    }

    /// One message from an admitted agent; false when the connection should stop reading (it was replaced,
    /// or its support session is over). In a function of its own, like `admit`, so that its frame is not
    /// part of the one that waits for the next message.
    @inline(never)
    private func handle(
        _ message: Envelope, from agent: AdmittedAgent, inventoryAllowance: inout TokenBucket, _ context: WebSocketRouterContext<AppRequestContext>
    ) async throws -> Bool {
        switch message {
        case .ping(let nonce): agent.link.send(.pong(nonce: nonce))
        case .pong: break
        case .agentInventory(let json):
            guard await hub.isCurrent(agent.id, connectionId: agent.connectionId) else { return false }
            guard agent.enrolled else { throw Violation(code: .protocolError, reason: "AgentInventory from a support agent") }
            try await recordInventory(json, agentId: agent.id, allowance: &inventoryAllowance, context: context)
        case .relay(let peer, let record, let mark):
            await hub.relayFromAgent(agent.id, connectionId: agent.connectionId, peerId: peer, record: record, mark: mark)
        case .agentStatus(let state):
            // A replaced connection, still read until its socket closes, speaks no more for the session.
            guard await hub.isCurrent(agent.id, connectionId: agent.connectionId) else { return false }
            guard !agent.enrolled else { throw Violation(code: .protocolError, reason: "AgentStatus outside a support session") }
            context.logger.info("support agent status", metadata: ["session": "\(agent.id)", "state": "\(state)"])
            return try await support.agentReported(state, sessionId: agent.id)
        case .agentInfo(let hostname, _, _):
            guard await hub.isCurrent(agent.id, connectionId: agent.connectionId) else { return false }
            if !agent.enrolled, !hostname.isEmpty {
                try await support.agentDescribed(sessionId: agent.id, machineName: String(hostname.prefix(80)))
            }
        default: throw Violation(code: .protocolError, reason: "unexpected \(message.tag)")
        }
        return true
    }

    func viewer(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, _ context: WebSocketRouterContext<AppRequestContext>) async throws {
        try await guarded(inbound, outbound, context) { messages in
            guard case .viewerJoin(let session, let token, _) = try await messages.next(),
                  let grant = await hub.redeem(token: String(decoding: token, as: UTF8.self), sessionId: RelayHub.idHex(session))
            else {
                try await reject(outbound, .unknownSession)
                return
            }
            let viewerId = await hub.newConnectionId()
            let link = RelayLink(connectionId: viewerId, role: .viewer, limits: hub.limits)
            switch await hub.viewerConnected(viewerId, grant: grant, link: link) {
            case .joined: break
            case .agentOffline:
                try await reject(outbound, .unknownSession)
                return
            case .sessionFull:
                context.logger.notice("viewer refused: session full", metadata: ["session": "\(grant.agentId)", "viewers": "\(hub.limits.viewersPerSession)"])
                try await reject(outbound, .sessionFull)
                return
            }
            try await withCleanup {
                // Welcome goes out before the pump starts, so it precedes what the agent has queued meanwhile.
                try await send(.welcome(connectionId: viewerId, heartbeatSeconds: RelayHub.heartbeatSeconds), outbound)
                try await pump(link, outbound, messages.flow) {
                    while let message = try await messages.next() {
                        link.liveness.heard()
                        switch message {
                        case .ping(let nonce): link.send(.pong(nonce: nonce))
                        case .pong: break
                        case .relay(0, let record, _): await hub.agentLink(ofViewer: viewerId)?.forward(.relay(peerId: viewerId, record: record))
                        default: throw Violation(code: .protocolError, reason: "unexpected \(message.tag)")
                        }
                    }
                }
            } cleanup: {
                await hub.viewerDisconnected(viewerId)
            }
        }
    }

    /// Records in the database which connection is the agent's current one (the list filters and sorts on
    /// it), and tells the dashboards. A failed write is logged: the relay goes on, the list is stale.
    private func recordConnection(_ agentId: String, connectionId: UInt32, connected: Bool, logger: Logger) async {
        do {
            if connected {
                try await dependencies.store.directory.connected(id: agentId, connectionId: Int64(connectionId))
            } else {
                try await dependencies.store.directory.disconnected(id: agentId, connectionId: Int64(connectionId))
            }
        } catch {
            logger.warning("could not record the agent's connection", metadata: ["agent": "\(agentId)", "connected": "\(connected)", "error": "\(error)"])
        }
        agentNotices.changed()
    }

    // MARK: - Plumbing

    /// Runs the connection with a deadline for authentication, and turns violations into close frames.
    private func guarded(
        _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, _ context: WebSocketRouterContext<AppRequestContext>,
        _ body: (inout EnvelopeMessages) async throws -> Void
    ) async throws {
        let greeted = HelloFlag()
        let flow = try await RelayFlow.install(on: context.requestContext.channel, readAhead: hub.limits.socketAheadBytes,
                                               writeAhead: hub.limits.socketAheadBytes)
        var messages = EnvelopeMessages(inbound: inbound, flow: flow, onFirst: { greeted.value.store(true, ordering: .relaxed) })
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(for: self.hub.limits.helloTimeout)
                    if !greeted.value.load(ordering: .relaxed) {
                        try await outbound.close(.policyViolation, reason: "no hello in time")
                    }
                }
                defer { group.cancelAll() }
                try await body(&messages)
            }
        } catch let violation as Violation {
            context.logger.notice("relay connection closed", metadata: ["reason": "\(violation.reason)"])
            try? await outbound.close(violation.code, reason: violation.reason)
        }
    }

    /// Writes the link's queued frames while `reader` runs; either ending ends both.
    private func pump(_ link: RelayLink, _ outbound: WebSocketOutboundWriter, _ flow: RelayFlow, reader: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A frame goes to NIO only once there is room for it (`RelayFlow`), so what a peer does not
                // read stays in the queue, where the caps count it (and one frame in hand).
                while let frame = await link.next(), await flow.writeRoom(for: frame.count) {
                    try await outbound.write(.binary(ByteBuffer(bytes: frame)))
                }
                // The hub ended this link (agent replaced or removed, session over), or its peer did not
                // keep up with its queue: close the socket. When the reader ended instead, this task was
                // cancelled first and leaves closing to it.
                guard !Task.isCancelled else { return }
                if let reason = link.overflowReason {
                    try? await outbound.close(.policyViolation, reason: reason)
                } else {
                    try? await outbound.close(.normalClosure, reason: "session ended")
                }
            }
            defer {
                group.cancelAll()
                link.finish()
            }
            try await reader()
        }
    }

    /// The heartbeat an agent is welcomed with: the check-in interval from Settings for an unattended agent,
    /// the relay's own for a support agent (its session is watched live).
    private func heartbeat(for peer: AgentPeer) async throws -> UInt16 {
        guard case .enrolled = peer else { return RelayHub.heartbeatSeconds }
        let seconds = try await dependencies.store.settings.load().checkInSeconds
        return UInt16(clamping: min(max(seconds, ServerSettings.checkInRange.lowerBound), ServerSettings.checkInRange.upperBound))
    }

    private func send(_ message: Envelope, _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: try EnvelopeCodec.encode(message))))
    }

    private func reject(_ outbound: WebSocketOutboundWriter, _ code: RejectCode) async throws {
        try await send(.reject(code), outbound)
        try await outbound.close(.policyViolation, reason: "rejected")
    }

    /// Who an authenticated agent connection is: an enrolled (unattended) agent or a one-time support agent.
    enum AgentPeer: Sendable {
        case enrolled(AgentRecord)
        case support(SupportSession)

        var id: String {
            switch self {
            case .enrolled(let agent): agent.id
            case .support(let session): session.id
            }
        }

        var isEnrolled: Bool {
            if case .enrolled = self { true } else { false }
        }

        var kind: String {
            switch self {
            case .enrolled: "unattended"
            case .support: "support"
            }
        }
    }

    /// Counts this hello before its credential is looked at, or audits the refusal and returns nil.
    private func reserveHello(_ idBytes: [UInt8], _ context: AppRequestContext) async -> AttemptBudget.Reservation? {
        let id = RelayHub.idHex(idBytes)
        do throws(Throttled) {
            return try await helloThrottle.reserve(address: context.clientAddress, agentId: id)
        } catch {
            await dependencies.audit.record("agent.connect", .denied, context: context, target: id, detail: "rate limited for \(error.retryAfter) s")
            return nil
        }
    }

    private func verifyAgent(_ idBytes: [UInt8], _ credential: [UInt8], _ context: AppRequestContext) async throws -> AgentPeer? {
        let id = RelayHub.idHex(idBytes)
        let secret = String(decoding: credential, as: UTF8.self)
        if let agent = try await dependencies.store.agents.find(id: id),
           SecureToken.constantTimeEquals(agent.credentialHash, SecureToken.sha256Hex(secret)) {
            return .enrolled(agent)
        }
        if let session = try await support.verifyAgent(id: id, credential: secret) {
            return .support(session)
        }
        await dependencies.audit.record("agent.connect", .failure, context: context, target: id, detail: "bad credential or session over")
        return nil
    }
}

/// Decodes inbound WebSocket messages as envelopes, one per message, and tells the connection's flow
/// control what it took.
struct EnvelopeMessages {
    private var iterator: WebSocketInboundMessageStream.AsyncIterator
    /// The connection's flow control: the pump writes through it too.
    let flow: RelayFlow
    private let onFirst: @Sendable () -> Void
    private var seenFirst = false

    init(inbound: WebSocketInboundStream, flow: RelayFlow, onFirst: @escaping @Sendable () -> Void) {
        iterator = inbound.messages(maxSize: EnvelopeCodec.maxFrame).makeAsyncIterator()
        self.flow = flow
        self.onFirst = onFirst
    }

    mutating func next() async throws -> Envelope? {
        guard let message = try await iterator.next() else { return nil }
        switch message {
        case .binary(let buffer): flow.taken(buffer.readableBytes)
        case .text(let text): flow.taken(text.utf8.count)
        }
        guard case .binary(let buffer) = message else {
            throw RelayConnections.Violation(code: .unacceptableData, reason: "text frames are not part of the protocol")
        }
        do {
            let envelope = try EnvelopeCodec.decode(Array(buffer.readableBytesView))
            // An agent's hello alone does not stop the watchdog: it must still answer the challenge in time.
            if !seenFirst, envelope.tag != .agentHello {
                seenFirst = true
                onFirst()
            }
            return envelope
        } catch {
            throw RelayConnections.Violation(code: .protocolError, reason: error.vectorName)
        }
    }
}

/// Set once a connection has sent its first valid envelope (an agent: its first after the hello); read by the hello watchdog.
final class HelloFlag: Sendable {
    let value = Atomic<Bool>(false)
}
