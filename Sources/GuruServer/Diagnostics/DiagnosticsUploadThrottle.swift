import Foundation

/// Bounds how often one user stores reports for one machine: a collection takes seconds on the agent,
/// so a handful at once and then one a minute is plenty, and a script cannot fill the table.
actor DiagnosticsUploadThrottle {
    static let policy = TokenBucket.Policy(burst: 5, refillPerHour: 60)
    /// Pairs remembered at most.
    static let capacity = 10_000
    /// A pair unused this long has refilled its whole burst, so forgetting it changes nothing.
    static var refillTime: TimeInterval { policy.burst / policy.refillPerHour * 3600 }

    private var buckets: [String: (bucket: TokenBucket, usedAt: Date)] = [:]
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Takes a token for `userId` on `agentId`; the seconds to wait when there is none.
    func admit(userId: String, agentId: String) -> Int? {
        let time = now()
        let key = "\(userId)|\(agentId)"
        if buckets[key] == nil, buckets.count >= Self.capacity { makeRoom(at: time) }
        var bucket = buckets[key]?.bucket ?? TokenBucket(policy: Self.policy, at: time)
        if let wait = bucket.wait(at: time) { return max(1, Int(wait.rounded(.up))) }
        bucket.take(at: time)
        buckets[key] = (bucket, time)
        return nil
    }

    private func makeRoom(at time: Date) {
        buckets = buckets.filter { time.timeIntervalSince($0.value.usedAt) < Self.refillTime }
        // Still full: every pair was used within minutes. Forget the least recently used one.
        if buckets.count >= Self.capacity, let oldest = buckets.min(by: { $0.value.usedAt < $1.value.usedAt })?.key {
            buckets[oldest] = nil
        }
    }
}
