import Foundation

/// The server's bcrypt work, bounded twice: at most `slots` hashes run at once, and at most `maxWaiting`
/// wait for a slot. Past that the caller is told to come back (`Busy`, 503 with `Retry-After`) at once,
/// so a login flood can neither starve the event loops nor queue work without end.
actor BcryptQueue {
    /// The queue is full; nothing was hashed. `ErrorMiddleware` answers it 503 with `Retry-After`.
    struct Busy: Error, Equatable {
        let retryAfter: Int
    }

    private let slots: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// A running mean of how long one job takes, for `Retry-After`.
    private var meanSeconds = 0.25

    init(slots: Int, maxWaiting: Int) {
        self.slots = max(1, slots)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// Runs `body` in a slot, waiting for one if the waiting list has room, else throws `Busy`.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        let started = ContinuousClock.now
        do {
            let value = try await body()
            await release(took: ContinuousClock.now - started)
            return value
        } catch {
            await release(took: ContinuousClock.now - started)
            throw error
        }
    }

    /// Jobs running and waiting (tests and metrics).
    var load: (running: Int, waiting: Int) { (running, waiters.count) }

    private func acquire() async throws(Busy) {
        if running < slots {
            running += 1
            return
        }
        guard waiters.count < maxWaiting else {
            let ahead = Double(running + waiters.count) / Double(slots)
            throw Busy(retryAfter: max(1, Int((ahead * meanSeconds).rounded(.up))))
        }
        // The slot is handed over in `release`, so `running` never dips and no newcomer jumps the queue.
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release(took duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        meanSeconds = 0.8 * meanSeconds + 0.2 * seconds
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
