import GuruProtocol
import Metrics

/// One connection's outbound side: a bounded queue that keeps the newest frames, so a slow peer
/// skips ahead instead of making the server buffer without bound.
struct RelayLink: Sendable {
    let connectionId: UInt32
    let frames: AsyncStream<[UInt8]>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private static let dropped = Counter(label: "guruconnect_relay_dropped_frames_total")

    init(connectionId: UInt32, capacity: Int) {
        self.connectionId = connectionId
        (frames, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(capacity))
    }

    /// Queues a message; when the queue is full the oldest queued frame is dropped.
    func send(_ message: Envelope) {
        guard let bytes = try? EnvelopeCodec.encode(message) else { return }
        if case .dropped = continuation.yield(bytes) { Self.dropped.increment() }
    }

    /// Ends the queue; the connection's writer then closes the socket.
    func finish() {
        continuation.finish()
    }
}
