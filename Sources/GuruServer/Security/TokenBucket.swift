import Foundation

/// A server-wide allowance: `burst` attempts at once, refilled at `refillPerHour`. Owned by an actor
/// (`AttemptBudget`), which takes a token in the same turn as it admits the attempt.
struct TokenBucket: Sendable {
    /// Size and refill rate.
    struct Policy: Sendable {
        var burst: Double
        var refillPerHour: Double
    }

    private let policy: Policy
    private var tokens: Double
    private var refilledAt: Date

    init(policy: Policy, at time: Date) {
        self.policy = policy
        tokens = policy.burst
        refilledAt = time
    }

    /// Seconds until a whole token is there, or nil when one is.
    mutating func wait(at time: Date) -> TimeInterval? {
        refill(at: time)
        guard tokens < 1 else { return nil }
        return (1 - tokens) / (policy.refillPerHour / 3600)
    }

    /// Spends one token; call only after `wait` said there is one.
    mutating func take(at time: Date) {
        refill(at: time)
        tokens = max(0, tokens - 1)
    }

    /// Gives back a token spent on an attempt that turned out right or was never checked.
    mutating func refund() {
        tokens = min(policy.burst, tokens + 1)
    }

    private mutating func refill(at time: Date) {
        let elapsed = max(0, time.timeIntervalSince(refilledAt))
        tokens = min(policy.burst, tokens + elapsed * policy.refillPerHour / 3600)
        refilledAt = max(refilledAt, time)
    }
}
