import GuruProtocol
import Testing
@testable import GuruServer

/// The relay's queues on their own (docs/protocol.md §2.4, §2.5): whole picture frames dropped oldest
/// first, unmarked records never dropped, the byte cap, and an agent's queue that waits instead of dropping.
@Suite("Relay queue")
struct RelayQueueTests {
    /// A record of picture frame `frame`, part `part`, `size` bytes long.
    static func record(_ frame: Int, _ part: Int, size: Int = 16) -> [UInt8] {
        [UInt8(frame), UInt8(part)] + [UInt8](repeating: 0xEE, count: size - 2)
    }

    /// Offers a picture frame of `parts` records: `picture` marks, then `frameEnd` on the last.
    @discardableResult
    static func offerFrame(_ queue: RelayQueue, _ frame: Int, parts: Int = 3, size: Int = 16) -> [RelayQueue.Offer] {
        (0..<parts).map { part in
            queue.offer(record(frame, part, size: size), mark: part == parts - 1 ? .frameEnd : .picture)
        }
    }

    /// Everything queued, in order, after ending the queue.
    static func drain(_ queue: RelayQueue) async -> [[UInt8]] {
        queue.finish()
        var out: [[UInt8]] = []
        while let next = await queue.next() { out.append(next) }
        return out
    }

    /// (frame, part) of drained picture records.
    static func parts(_ records: [[UInt8]]) -> [[Int]] { records.map { [Int($0[0]), Int($0[1])] } }

    @Test func aSlowViewerKeepsOnlyTheNewestWholeFrames() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 1 << 20, pictureFrames: 4))
        for frame in 0..<7 { Self.offerFrame(queue, frame) }
        let got = Self.parts(await Self.drain(queue))
        #expect(got == (3..<7).flatMap { frame in (0..<3).map { [frame, $0] } })
        #expect(queue.droppedFrames == 3)
    }

    @Test func aFrameAlreadyBeingWrittenIsNeverCutShort() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 1 << 20, pictureFrames: 2))
        #expect(queue.offer(Self.record(0, 0), mark: .picture) == .queued)
        #expect(await queue.next().map { [Int($0[0]), Int($0[1])] } == [0, 0])  // the writer took part 0
        #expect(queue.offer(Self.record(0, 1), mark: .frameEnd) == .queued)
        for frame in 1..<5 { Self.offerFrame(queue, frame, parts: 2) }
        // Frame 0 is finished whole; of the later ones, the oldest made room for the newest.
        #expect(Self.parts(await Self.drain(queue)) == [[0, 1], [4, 0], [4, 1]])
    }

    @Test func unmarkedRecordsAreNeverDroppedTheyEvictPicturesOrOverflow() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 100, pictureFrames: 4))
        Self.offerFrame(queue, 0, parts: 2, size: 30)  // 60 bytes of picture
        #expect(queue.offer(Self.record(9, 0, size: 70)) == .queued)  // evicts the picture frame
        #expect(queue.queuedBytes == 70 && queue.droppedFrames == 1)
        #expect(queue.offer(Self.record(9, 1, size: 40)) == .overflowed)  // 110 > 100 and nothing to drop
        #expect(queue.overflowed)
        #expect(await queue.next() == nil)  // an overflowed queue ends at once
        #expect(queue.offer(Self.record(9, 2)) == .dropped)
    }

    @Test func aPictureThatCannotFitDropsTheRestOfItsFrame() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 100, pictureFrames: 4))
        #expect(queue.offer(Self.record(7, 0, size: 60)) == .queued)  // unmarked, stays
        #expect(Self.offerFrame(queue, 1, parts: 3, size: 30) == [.queued, .dropped, .dropped])
        // Part 0 was queued, part 1 did not fit: the whole frame went, part 0 with it.
        #expect(Self.parts(await Self.drain(queue)) == [[7, 0]])
    }

    @Test func theNextFrameStartsAfresh() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 100, pictureFrames: 4))
        #expect(Self.offerFrame(queue, 1, parts: 2, size: 120) == [.dropped, .dropped])  // larger than the cap
        #expect(Self.offerFrame(queue, 2, parts: 2, size: 40) == [.queued, .queued])
        #expect(Self.parts(await Self.drain(queue)) == [[2, 0], [2, 1]])
    }

    @Test func anAgentsQueueWaitsForRoomAndNeverDrops() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 100))
        #expect(await queue.push(Self.record(1, 0, size: 60)))
        let second = Task { await queue.push(Self.record(1, 1, size: 60)) }
        var spins = 0
        while queue.waitingPushers == 0, spins < 100_000 {  // the barrier: the push is parked, not queued
            await Task.yield()
            spins += 1
        }
        #expect(queue.waitingPushers == 1 && queue.queuedBytes == 60)
        #expect(await queue.next().map { Int($0[1]) } == 0)  // the writer makes room...
        #expect(await second.value)  // ...and the waiting record goes in
        #expect(await queue.next().map { Int($0[1]) } == 1)
        #expect(queue.droppedFrames == 0)
    }

    @Test func aCancelledOrEndedPushGivesUp() async {
        let queue = RelayQueue(limits: RelayLimits(queueBytes: 100))
        #expect(await queue.push(Self.record(1, 0, size: 90)))
        let cancelled = Task { await queue.push(Self.record(1, 1, size: 60)) }
        var spins = 0
        while queue.waitingPushers == 0, spins < 100_000 {
            await Task.yield()
            spins += 1
        }
        cancelled.cancel()
        #expect(await cancelled.value == false)
        let ended = Task { await queue.push(Self.record(1, 2, size: 60)) }
        spins = 0
        while queue.waitingPushers == 0, spins < 100_000 {
            await Task.yield()
            spins += 1
        }
        queue.finish()
        #expect(await ended.value == false)
        #expect(Self.parts(await Self.drain(queue)) == [[1, 0]])
    }

    @Test func aWaitingWriterIsWokenByTheNextFrame() async {
        let queue = RelayQueue(limits: RelayLimits())
        let writer = Task { await queue.next() }
        var spins = 0
        while !queue.writerWaiting, spins < 100_000 {
            await Task.yield()
            spins += 1
        }
        queue.offer([1, 2, 3])
        #expect(await writer.value == [1, 2, 3])
        let cancelled = Task { await queue.next() }
        cancelled.cancel()
        #expect(await cancelled.value == nil)
    }
}
