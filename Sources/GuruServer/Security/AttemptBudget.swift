import Foundation

/// Counts guesses before they are checked: an attempt is reserved (and counted as a failure) in one
/// actor turn, before the caller awaits anything, so any number of concurrent requests get exactly as
/// many admissions as the budget holds. A success or an attempt that was never checked gives its
/// reservation back; a failure keeps it.
///
/// Each attempt is counted along every `Dimension` of the policy (per address, per account, …), each
/// with exponential backoff: after `freeFailures`, each further failure locks that key for twice as long
/// as the last (`baseLock`, 2 × … up to `maxLock`). A dimension may also allow only one attempt in flight
/// per key, and the policy may add one server-wide `TokenBucket`. An attempt refused while locked does
/// not extend the lock.
actor AttemptBudget {
    /// One axis along which attempts are counted.
    struct Dimension: Sendable {
        var name: String
        var freeFailures: Int
        /// A key with no failure for this long starts again from zero.
        var forgetAfter: TimeInterval
        /// A success forgets the key's failures (an account), instead of giving back one (an address, which
        /// one good account must not launder).
        var clearsOnSuccess = false
        /// At most one attempt per key runs at a time; the next is refused until it is settled.
        var oneAtATime = false
    }

    /// Tuning for one kind of attempt.
    struct Policy: Sendable {
        var dimensions: [Dimension]
        var shared: TokenBucket.Policy?
        var baseLock: TimeInterval = 1
        var maxLock: TimeInterval = 15 * 60
        /// Keys remembered at most; see `makeRoom`.
        var capacity = 50_000
    }

    /// An admitted attempt; hand it back to `settle` exactly once.
    struct Reservation: Sendable, Hashable {
        fileprivate let id: UInt64
        fileprivate let keys: [String]
    }

    /// What became of a reserved attempt.
    enum Outcome: Sendable {
        /// The guess was right.
        case succeeded
        /// The guess was checked and was wrong: the reservation stays counted.
        case failed
        /// Nothing was checked (a malformed request, a full bcrypt queue): the reservation is given back.
        case notTried
    }

    private struct Record {
        var failures = 0
        var lockedUntil = Date.distantPast
        var lastFailure = Date.distantPast
        var forgetAfter: TimeInterval = 0
        /// The reservation that set `lockedUntil`, and the lock before it, so giving that reservation
        /// back restores the earlier lock.
        var lockSetBy: UInt64?
        var lockBefore = Date.distantPast

        func isLive(at time: Date) -> Bool {
            lockedUntil > time || time.timeIntervalSince(lastFailure) <= forgetAfter
        }
    }

    private let policy: Policy
    private let now: @Sendable () -> Date
    private var records: [String: Record] = [:]
    private var running: Set<String> = []
    private var open: Set<UInt64> = []
    private var nextId: UInt64 = 0
    private var bucket: TokenBucket?

    init(policy: Policy, now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.now = now
        bucket = policy.shared.map { TokenBucket(policy: $0, at: now()) }
    }

    /// Admits and counts one attempt with one key per dimension (in the policy's order), or throws how
    /// long to wait. Keys are bounded (`BoundedText.key`), so request input never grows the table's entries.
    func reserve(_ values: [String]) throws(Throttled) -> Reservation {
        precondition(values.count == policy.dimensions.count, "one key per dimension")
        let time = now()
        let keys = zip(policy.dimensions, values).map { "\($0.name):\(BoundedText.key($1))" }
        var waits: [TimeInterval] = []
        for (dimension, key) in zip(policy.dimensions, keys) {
            if dimension.oneAtATime, running.contains(key) { waits.append(1) }
            if let record = records[key], record.lockedUntil > time { waits.append(record.lockedUntil.timeIntervalSince(time)) }
        }
        if let wait = bucket?.wait(at: time) { waits.append(wait) }
        if waits.isEmpty, let wait = makeRoom(for: keys, at: time) { waits.append(wait) }
        if let longest = waits.max() { throw Throttled(retryAfter: max(1, Int(longest.rounded(.up)))) }

        nextId &+= 1
        let id = nextId
        for (dimension, key) in zip(policy.dimensions, keys) {
            var record = records[key].flatMap { $0.isLive(at: time) ? $0 : nil } ?? Record()
            record.forgetAfter = dimension.forgetAfter
            record.failures += 1
            record.lastFailure = time
            let excess = record.failures - dimension.freeFailures
            if excess > 0 {
                record.lockBefore = record.lockedUntil
                record.lockSetBy = id
                record.lockedUntil = time.addingTimeInterval(lock(excess))
            }
            records[key] = record
            if dimension.oneAtATime { running.insert(key) }
        }
        bucket?.take(at: time)
        open.insert(id)
        return Reservation(id: id, keys: keys)
    }

    /// Settles a reservation. A second settle of the same reservation does nothing.
    func settle(_ reservation: Reservation, as outcome: Outcome) {
        guard open.remove(reservation.id) != nil else { return }
        for (dimension, key) in zip(policy.dimensions, reservation.keys) {
            if dimension.oneAtATime { running.remove(key) }
            switch outcome {
            case .failed: break
            case .succeeded where dimension.clearsOnSuccess: records[key] = nil
            case .succeeded, .notTried: giveBack(reservation.id, key: key)
            }
        }
        if outcome != .failed { bucket?.refund() }
    }

    /// How many keys are remembered (tests and metrics).
    var rememberedKeys: Int { records.count }

    private func giveBack(_ id: UInt64, key: String) {
        guard var record = records[key] else { return }
        record.failures -= 1
        if record.lockSetBy == id {
            record.lockedUntil = record.lockBefore
            record.lockSetBy = nil
        }
        records[key] = record.failures > 0 ? record : nil
    }

    private func lock(_ excess: Int) -> TimeInterval {
        min(policy.maxLock, policy.baseLock * pow(2, Double(min(excess - 1, 30))))
    }

    /// Keeps the table within `capacity`: forgotten keys go first, then the stalest keys that are neither
    /// locked nor in flight. A locked key is never dropped to make room (that would unlock it), so when
    /// only locked keys are left, new keys wait for the first lock to end.
    private func makeRoom(for keys: [String], at time: Date) -> TimeInterval? {
        let newKeys = keys.filter { records[$0] == nil }.count
        guard records.count + newKeys > policy.capacity else { return nil }
        records = records.filter { $0.value.isLive(at: time) || running.contains($0.key) }
        // Drop a tenth at a time, so a full table costs one sort per many attempts, not one each.
        let target = policy.capacity - max(newKeys, policy.capacity / 10)
        if records.count > target {
            let droppable = records.filter { $0.value.lockedUntil <= time && !running.contains($0.key) }
                .sorted { $0.value.lastFailure < $1.value.lastFailure }
                .prefix(records.count - target)
            for (key, _) in droppable { records[key] = nil }
        }
        guard records.count + newKeys > policy.capacity else { return nil }
        let firstUnlock = records.values.map(\.lockedUntil).filter { $0 > time }.min()
        return max(1, firstUnlock?.timeIntervalSince(time) ?? 1)
    }
}

/// An attempt refused before it was looked at; the caller answers 429 with `Retry-After`.
struct Throttled: Error, Equatable {
    let retryAfter: Int
}
