import Dispatch
import Synchronization

/// When a connection was last heard from, and whether the watchdog gave up on it. Agents and viewers
/// ping every heartbeat (docs/protocol.md §1); a link silent for three heartbeats and a grace is dead
/// (a machine that lost power leaves a half-open TCP connection behind) and `RelayWatchdog` ends it.
/// One shared timer for every link replaces a WebSocket ping task per connection.
final class LinkLiveness: Sendable {
    /// Seconds of silence after which the link is dead.
    let limitSeconds: Int64
    private let lastHeard: Atomic<Int64>
    private let expired = Atomic<Bool>(false)

    /// A link that speaks every `heartbeatSeconds`, heard from now.
    init(heartbeatSeconds: Int, graceSeconds: Int = 15, now: Int64 = LinkLiveness.now()) {
        limitSeconds = Int64(3 * heartbeatSeconds + graceSeconds)
        lastHeard = Atomic(now)
    }

    /// Seconds on a monotonic clock.
    static func now() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000_000) }

    /// Records a message from the peer.
    func heard(at time: Int64 = LinkLiveness.now()) {
        lastHeard.store(time, ordering: .relaxed)
    }

    /// Whether the link has been silent past its limit at `time`.
    func isSilent(at time: Int64) -> Bool {
        time - lastHeard.load(ordering: .relaxed) > limitSeconds
    }

    /// Marks the link as ended for silence (its writer then says so in the close frame).
    func expire() { expired.store(true, ordering: .relaxed) }

    var hasExpired: Bool { expired.load(ordering: .relaxed) }
}
