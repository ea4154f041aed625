import Foundation

/// Slows down guessing of support codes: per source address with exponential backoff, and server-wide
/// with a token bucket, so many addresses together cannot out-guess it either (docs/support.md §6).
actor CodeGuessThrottle {
    /// Tuning; the defaults are the documented worst case.
    struct Policy: Sendable {
        var freeFailuresPerAddress = 5
        var globalBurst = 60.0
        var globalRefillPerHour = 120.0
    }

    private let policy: Policy
    private let perAddress: LoginThrottle
    private let now: @Sendable () -> Date
    private var tokens: Double
    private var refilledAt: Date

    init(policy: Policy = Policy(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.now = now
        perAddress = LoginThrottle(
            policy: .init(freeFailuresPerAccount: .max, freeFailuresPerAddress: policy.freeFailuresPerAddress), now: now
        )
        tokens = policy.globalBurst
        refilledAt = now()
    }

    /// Seconds to wait before a guess from `address` is even looked at, or nil.
    func retryAfter(address: String) async -> Int? {
        if let wait = await perAddress.retryAfter(address: address, account: nil) { return wait }
        refill()
        guard tokens < 1 else { return nil }
        let perSecond = policy.globalRefillPerHour / 3600
        return max(1, Int(((1 - tokens) / perSecond).rounded(.up)))
    }

    /// Counts a wrong guess against the address and the whole server.
    func recordFailure(address: String) async {
        await perAddress.recordFailure(address: address, account: nil)
        refill()
        tokens = max(0, tokens - 1)
    }

    private func refill() {
        let time = now()
        let elapsed = max(0, time.timeIntervalSince(refilledAt))
        tokens = min(policy.globalBurst, tokens + elapsed * policy.globalRefillPerHour / 3600)
        refilledAt = time
    }
}
