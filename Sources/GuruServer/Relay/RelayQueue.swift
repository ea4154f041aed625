import GuruProtocol
import Synchronization

/// The caps of the relay's queues (docs/protocol.md §2.4, §2.5).
struct RelayLimits: Sendable, Equatable {
    /// The most bytes queued for one connection.
    var queueBytes = 16 * 1024 * 1024
    /// The most picture frames queued for one viewer before the oldest is dropped.
    var pictureFrames = 4
    /// The most viewers of one session at once.
    var viewersPerSession = 8
    /// What a connection's socket may read ahead of the relay, and what may wait in NIO to be written,
    /// in data bytes each (`RelayFlow`; at least one largest frame).
    var socketAheadBytes = 2 * 1024 * 1024
    /// How long a new connection has to authenticate.
    var helloTimeout: Duration = .seconds(10)
}

/// One connection's outbound queue, bounded in bytes. Its writer (the connection's socket pump) takes
/// frames with `next()`; the relay puts them in with one of two policies:
/// - `offer` (a viewer's queue, and the server's own messages): never waits. A viewer's picture
///   frames (`RelayMark`) are dropped whole, oldest first, to keep within the caps; an unmarked frame
///   that cannot fit overflows the queue, which ends it (the viewer is too slow).
/// - `push` (records for an agent): never drops, waits for room instead, so whoever sends to an agent
///   that does not read is slowed down rather than buffered.
final class RelayQueue: Sendable {
    /// What `offer` did with a frame.
    enum Offer: Equatable {
        case queued
        /// A picture frame's record, dropped with the rest of its frame.
        case dropped
        /// It could not fit: the queue is over and ends.
        case overflowed
    }

    private struct Entry {
        let bytes: [UInt8]
        /// The picture frame this record belongs to, if any.
        let frame: Int?
    }

    private struct Waiter {
        let id: Int
        let bytes: [UInt8]
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var entries: [Entry] = []
        var head = 0
        var bytes = 0
        var finished = false
        var overflowed = false
        var reader: CheckedContinuation<[UInt8]?, Never>?
        var waiters: [Waiter] = []
        var nextWaiter = 0
        /// Queued records per picture frame.
        var frameRecords: [Int: Int] = [:]
        var nextFrame = 0
        /// The picture frame whose records are arriving (nil between frames), and whether it is dropped.
        var incoming: Int?
        var droppingIncoming = false
        /// The frame of the last record the writer took: it may be partly written, so it is never dropped.
        var writing: Int?
        var droppedFrames = 0

        var count: Int { entries.count - head }

        mutating func append(_ bytes: [UInt8], frame: Int?) {
            entries.append(Entry(bytes: bytes, frame: frame))
            self.bytes += bytes.count
            if let frame { frameRecords[frame, default: 0] += 1 }
        }

        mutating func take() -> [UInt8]? {
            guard head < entries.count else { return nil }
            let entry = entries[head]
            entries[head] = Entry(bytes: [], frame: nil)  // the writer owns the bytes now: the slot must not keep them alive
            head += 1
            if head > 64, head * 2 > entries.count {  // compact now and then; amortised O(1)
                entries.removeFirst(head)
                head = 0
            }
            bytes -= entry.bytes.count
            if let frame = entry.frame {
                writing = frame
                frameRecords[frame]! -= 1
                if frameRecords[frame] == 0 { frameRecords[frame] = nil }
            }
            return entry.bytes
        }

        /// Drops the oldest queued picture frame of which nothing has been written; false if none.
        mutating func dropOldestFrame() -> Bool {
            guard let victim = entries[head...].first(where: { $0.frame != nil && $0.frame != writing })?.frame else { return false }
            let kept = entries[head...].filter { $0.frame != victim }
            bytes -= entries[head...].lazy.filter { $0.frame == victim }.reduce(0) { $0 + $1.bytes.count }
            entries = Array(kept)
            head = 0
            frameRecords[victim] = nil
            if victim == incoming { droppingIncoming = true }
            droppedFrames += 1
            return true
        }

        /// A waiting writer gets the frame just queued (and pushers waiting for room move up).
        mutating func handToReader(cap: Int) -> Wake {
            guard let reader else { return Wake() }
            self.reader = nil
            let frame = take()
            return Wake(reader: reader, frame: frame, pushers: admitWaiters(cap: cap))
        }

        /// After `finished` is set: a waiting writer of an empty queue gets nil, waiting pushers give up.
        mutating func ended() -> Wake {
            var wake = Wake(pushers: waiters.map(\.continuation), pushed: false)
            waiters = []
            if count == 0, let reader {
                self.reader = nil
                wake.reader = reader
            }
            return wake
        }

        /// Wakes waiting pushers whose records now fit, in order.
        mutating func admitWaiters(cap: Int) -> [CheckedContinuation<Bool, Never>] {
            var woken: [CheckedContinuation<Bool, Never>] = []
            while let first = waiters.first, bytes == 0 || bytes + first.bytes.count <= cap {
                waiters.removeFirst()
                append(first.bytes, frame: nil)
                woken.append(first.continuation)
            }
            return woken
        }
    }

    let limits: RelayLimits
    private let state = Mutex(State())

    init(limits: RelayLimits) {
        self.limits = limits
    }

    /// Bytes queued now.
    var queuedBytes: Int { state.withLock { $0.bytes } }

    /// Picture frames dropped so far.
    var droppedFrames: Int { state.withLock { $0.droppedFrames } }

    /// Whether the queue ended because a frame could not fit.
    var overflowed: Bool { state.withLock { $0.overflowed } }

    /// Pushers waiting for room (tests use it as a barrier).
    var waitingPushers: Int { state.withLock { $0.waiters.count } }

    /// Whether the writer waits for a frame (tests use it as a barrier).
    var writerWaiting: Bool { state.withLock { $0.reader != nil } }

    /// Queues a frame without waiting. `mark` says whether it belongs to a picture frame that may be
    /// dropped whole; `cap` is the byte cap for unmarked frames (the agent's queue allows its own
    /// messages twice its cap, past the records that `push` holds to the cap).
    @discardableResult
    func offer(_ bytes: [UInt8], mark: RelayMark = .none, cap: Int? = nil) -> Offer {
        let cap = cap ?? limits.queueBytes
        let (result, wake) = state.withLock { s -> (Offer, Wake) in
            guard !s.finished else { return (.dropped, Wake()) }
            var frame: Int?
            if mark.isPicture {
                if s.incoming == nil {  // a frame starts: keep at most `pictureFrames`, counting this one
                    s.incoming = s.nextFrame
                    s.nextFrame += 1
                    s.droppingIncoming = false
                    while s.frameRecords.count >= limits.pictureFrames, s.dropOldestFrame() {}
                }
                frame = s.incoming
                defer { if mark == .frameEnd { s.incoming = nil } }
                guard !s.droppingIncoming else { return (.dropped, Wake()) }
                while s.bytes + bytes.count > cap, s.dropOldestFrame() {}
                // Still too much: no frame but the one being written is left to drop, so this one goes
                // (its queued records, if it had any unwritten, went with the loop above).
                if s.droppingIncoming || s.bytes + bytes.count > cap {
                    s.droppingIncoming = true
                    return (.dropped, Wake())
                }
            } else {
                while s.bytes + bytes.count > cap, s.dropOldestFrame() {}
                if s.bytes + bytes.count > cap {
                    s.overflowed = true
                    s.finished = true
                    s.entries = []
                    s.head = 0
                    s.bytes = 0
                    return (.overflowed, s.ended())
                }
            }
            s.append(bytes, frame: frame)
            return (.queued, s.handToReader(cap: limits.queueBytes))
        }
        wake.resume()
        return result
    }

    /// Queues a record that must not be dropped, waiting while the queue holds `queueBytes` (a record
    /// always fits an empty queue). False if the queue ended, or the caller was cancelled, first.
    @discardableResult
    func push(_ bytes: [UInt8]) async -> Bool {
        let cap = limits.queueBytes
        let id = state.withLock { s in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (verdict, wake) = state.withLock { s -> (Bool?, Wake) in
                    if s.finished || Task.isCancelled { return (false, Wake()) }
                    guard s.waiters.isEmpty, s.bytes == 0 || s.bytes + bytes.count <= cap else {
                        s.waiters.append(Waiter(id: id, bytes: bytes, continuation: continuation))
                        return (nil, Wake())
                    }
                    s.append(bytes, frame: nil)
                    return (true, s.handToReader(cap: cap))
                }
                wake.resume()
                if let verdict { continuation.resume(returning: verdict) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    /// The next frame to write; nil once the queue has ended and is empty, or when the caller is cancelled.
    func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                let (frame, woken, wait) = state.withLock { s -> ([UInt8]?, [CheckedContinuation<Bool, Never>], Bool) in
                    if let frame = s.take() { return (frame, s.admitWaiters(cap: limits.queueBytes), false) }
                    if s.finished || Task.isCancelled { return (nil, [], false) }
                    s.reader = continuation
                    return (nil, [], true)
                }
                for waiter in woken { waiter.resume(returning: true) }
                if !wait { continuation.resume(returning: frame) }
            }
        } onCancel: {
            let reader = state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
                defer { s.reader = nil }
                return s.reader
            }
            reader?.resume(returning: nil)
        }
    }

    /// Ends the queue: the writer gets what is queued, then nil; waiting pushers give up.
    func finish() {
        state.withLock { s in
            s.finished = true
            return s.ended()
        }.resume()
    }
}

/// Continuations to resume once the queue's lock is released.
private struct Wake {
    var reader: CheckedContinuation<[UInt8]?, Never>?
    var frame: [UInt8]?
    var pushers: [CheckedContinuation<Bool, Never>] = []
    var pushed = true

    func resume() {
        reader?.resume(returning: frame)
        for pusher in pushers { pusher.resume(returning: pushed) }
    }
}
