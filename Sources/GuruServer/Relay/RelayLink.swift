import GuruProtocol
import Metrics

/// One connection's outbound side: a queue bounded in bytes (docs/protocol.md §2.4). A viewer's link
/// drops whole picture frames when the viewer is slow (§2.5); an agent's link never drops, and whoever
/// forwards to it waits for room instead.
struct RelayLink: Sendable {
    /// Whose link this is: the drop policy differs.
    enum Role: Sendable {
        case agent, viewer
    }

    let connectionId: UInt32
    let role: Role
    let queue: RelayQueue
    /// When the peer last spoke; `RelayWatchdog` ends a link that went silent.
    let liveness: LinkLiveness
    private static let dropped = Counter(label: "guruconnect_relay_dropped_frames_total")
    private static let overflowed = Counter(label: "guruconnect_relay_queue_overflows_total")

    init(connectionId: UInt32, role: Role, limits: RelayLimits, heartbeatSeconds: Int = Int(RelayHub.heartbeatSeconds)) {
        self.connectionId = connectionId
        self.role = role
        queue = RelayQueue(limits: limits)
        liveness = LinkLiveness(heartbeatSeconds: heartbeatSeconds)
    }

    /// Queues a message without waiting: the server's own messages, and an agent's records for a viewer
    /// (`mark` says which picture frame they belong to; what is sent carries no flags). A frame that
    /// cannot fit ends the link.
    func send(_ message: Envelope, mark: RelayMark = .none) {
        guard let bytes = try? EnvelopeCodec.encode(message) else { return }
        // The agent's own queue holds viewers' records up to the cap (`forward`); the server's small
        // messages may go past it, to twice the cap, before the agent counts as not reading.
        let cap = role == .agent ? 2 * queue.limits.queueBytes : queue.limits.queueBytes
        switch queue.offer(bytes, mark: role == .viewer ? mark : .none, cap: cap) {
        case .queued: break
        case .dropped: Self.dropped.increment()
        case .overflowed: Self.overflowed.increment()
        }
    }

    /// Queues a viewer's record for the agent, waiting while the agent's queue is full. False if the
    /// link ended first (or the caller was cancelled).
    @discardableResult
    func forward(_ message: Envelope) async -> Bool {
        guard let bytes = try? EnvelopeCodec.encode(message) else { return false }
        return await queue.push(bytes)
    }

    /// The next frame for the socket; nil when the link has ended.
    func next() async -> [UInt8]? { await queue.next() }

    /// Why the link ended, when it was not a normal end: the peer did not keep up with its queue.
    var overflowReason: String? {
        if liveness.hasExpired { return "no heartbeat" }
        guard queue.overflowed else { return nil }
        return role == .viewer ? "viewer too slow" : "agent not reading"
    }

    /// Ends the queue; the connection's writer then closes the socket.
    func finish() {
        queue.finish()
    }
}
