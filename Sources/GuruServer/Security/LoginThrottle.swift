import Foundation

/// Slows down password and code guessing, per source address and per account, with exponential backoff.
///
/// After `freeFailures` failures for a key, each further failure locks that key for twice as long as the
/// last (1 s, 2 s, 4 s … up to `maxLock`). Failures are forgotten after `forgetAfter` without one. A
/// success clears the account's record. Attempts refused while locked do not extend the lock, so a
/// locked-out user is back after the lock, not later. The table is bounded: past `capacity` keys, the
/// stalest go first.
actor LoginThrottle {
    /// Tuning; the defaults suit interactive logins.
    struct Policy: Sendable {
        var freeFailuresPerAccount = 5
        var freeFailuresPerAddress = 20
        var baseLock: TimeInterval = 1
        var maxLock: TimeInterval = 15 * 60
        var forgetAfter: TimeInterval = 30 * 60
        var capacity = 50_000
    }

    private struct Record {
        var failures = 0
        var lockedUntil = Date.distantPast
        var lastFailure = Date.distantPast
    }

    private let policy: Policy
    private let now: @Sendable () -> Date
    private var records: [String: Record] = [:]

    init(policy: Policy = Policy(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.now = now
    }

    /// Seconds the caller must wait, or nil if the attempt may go ahead.
    func retryAfter(address: String, account: String?) -> Int? {
        let time = now()
        let waits = keys(address: address, account: account).compactMap { key -> TimeInterval? in
            guard let record = records[key.name], record.lockedUntil > time else { return nil }
            return record.lockedUntil.timeIntervalSince(time)
        }
        return waits.max().map { max(1, Int($0.rounded(.up))) }
    }

    /// Counts a failed attempt against the address and the account.
    func recordFailure(address: String, account: String?) {
        let time = now()
        for key in keys(address: address, account: account) {
            var record = records[key.name] ?? Record()
            if time.timeIntervalSince(record.lastFailure) > policy.forgetAfter { record = Record() }
            record.failures += 1
            record.lastFailure = time
            let excess = record.failures - key.freeFailures
            if excess > 0 {
                let lock = min(policy.maxLock, policy.baseLock * pow(2, Double(min(excess - 1, 30))))
                record.lockedUntil = time.addingTimeInterval(lock)
            }
            records[key.name] = record
        }
        evictIfNeeded()
    }

    /// A successful sign-in clears the account's failures (not the address's: one good account must
    /// not launder a guessing campaign against others).
    func recordSuccess(account: String) {
        records["account:\(account.lowercased())"] = nil
    }

    private func keys(address: String, account: String?) -> [(name: String, freeFailures: Int)] {
        var keys = [(name: "address:\(address)", freeFailures: policy.freeFailuresPerAddress)]
        if let account {
            keys.append((name: "account:\(account.lowercased())", freeFailures: policy.freeFailuresPerAccount))
        }
        return keys
    }

    private func evictIfNeeded() {
        guard records.count > policy.capacity else { return }
        let time = now()
        records = records.filter { time.timeIntervalSince($0.value.lastFailure) <= policy.forgetAfter || $0.value.lockedUntil > time }
        if records.count > policy.capacity {
            let stalest = records.sorted { $0.value.lastFailure < $1.value.lastFailure }.prefix(records.count - policy.capacity)
            for (key, _) in stalest { records[key] = nil }
        }
    }
}
