import GuruProtocol
import NIOCore
import NIOWebSocket
import Synchronization

/// Bounds, in bytes, what a relay connection holds below the relay's queues (docs/protocol.md §2.4),
/// in both directions:
/// - Reads: NIO's async channel buffers up to ten inbound frames whatever their size (ten 1 MiB frames
///   from a viewer while the relay waits for room in a stalled agent's queue). While the data bytes
///   read and not yet taken by the relay reach `readAhead`, the socket's reads are held; the relay's
///   `taken` lets them go on. The socket's own buffers then fill, and TCP slows the sender.
/// - Writes: a write to NIO's async writer returns before the event loop has written anything, so a
///   pump that only awaited it would move a whole queue into NIO's unbounded pending writes (24 MiB
///   for an agent that reads nothing, measured). The pump waits in `writeRoom` while the data bytes
///   handed to the channel and not yet written to the socket reach `writeAhead`.
/// A handler just after the WebSocket frame decoder does the counting on the event loop.
final class RelayFlow: Sendable {
    /// What the socket may read ahead of the relay, in data bytes (the frames of one read may pass it).
    let readAhead: Int
    /// What may wait in NIO to be written, in data bytes (a frame always goes when nothing waits).
    let writeAhead: Int
    private let state: SharedState
    private let handler: NIOLoopBound<Handler>

    /// The counts, shared by the handler (event loop) and the relay (any thread).
    final class SharedState: Sendable {
        /// Data bytes read and not yet taken by the relay.
        let unread = Atomic<Int>(0)
        fileprivate let writes: Mutex<Writes>

        init(writeAhead: Int) {
            writes = Mutex(Writes(writeAhead: writeAhead))
        }
    }

    fileprivate struct Writes {
        var pending = 0
        var closed = false
        /// The pump, waiting for room for `bytes`.
        var waiter: (bytes: Int, continuation: CheckedContinuation<Bool, Never>)?
        let writeAhead: Int

        func fits(_ bytes: Int) -> Bool { pending == 0 || pending + bytes <= writeAhead }

        /// After a write completed: the waiting pump, if its frame now fits (counted as pending).
        mutating func admitWaiter() -> CheckedContinuation<Bool, Never>? {
            guard let waiter, fits(waiter.bytes) else { return nil }
            self.waiter = nil
            pending += waiter.bytes
            return waiter.continuation
        }

        /// The waiting pump, if any, which learns that the channel closed.
        mutating func takeWaiter() -> CheckedContinuation<Bool, Never>? {
            defer { waiter = nil }
            return waiter?.continuation
        }
    }

    private init(readAhead: Int, writeAhead: Int, state: SharedState, handler: NIOLoopBound<Handler>) {
        self.readAhead = readAhead
        self.writeAhead = writeAhead
        self.state = state
        self.handler = handler
    }

    /// Puts the counting handler into an upgraded WebSocket channel's pipeline, after its frame decoder.
    /// Both limits are raised to one largest frame more than a largest message, so a message always completes.
    static func install(on channel: any Channel, readAhead: Int, writeAhead: Int) async throws -> RelayFlow {
        let floor = EnvelopeCodec.maxFrame + 1
        let (readAhead, writeAhead) = (max(readAhead, floor), max(writeAhead, floor))
        return try await channel.eventLoop.submit {
            let state = SharedState(writeAhead: writeAhead)
            let handler = Handler(readAhead: readAhead, state: state)
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
            try operations.addHandler(handler, position: .after(decoder))
            return RelayFlow(readAhead: readAhead, writeAhead: writeAhead, state: state,
                             handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        }.get()
    }

    /// Data bytes read and not yet taken.
    var unread: Int { state.unread.load(ordering: .acquiring) }

    /// Data bytes handed to the channel and not yet written to the socket.
    var pendingWrites: Int { state.writes.withLock { $0.pending } }

    /// The relay took a message of `bytes`: reads held for it go on once there is room.
    func taken(_ bytes: Int) {
        let after = state.unread.subtract(bytes, ordering: .acquiringAndReleasing).newValue
        guard after + bytes >= readAhead, after < readAhead else { return }
        handler.eventLoop.execute { [handler] in handler.value.resumeReading() }
    }

    /// Waits until the channel has room for `bytes` more data bytes, and counts them as pending.
    /// False when the channel closed (or the caller was cancelled) first.
    func writeRoom(for bytes: Int) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let admitted = state.writes.withLock { w -> Bool? in
                    if w.closed || Task.isCancelled { return false }
                    guard w.fits(bytes) else {
                        w.waiter = (bytes, continuation)
                        return nil
                    }
                    w.pending += bytes
                    return true
                }
                if let admitted { continuation.resume(returning: admitted) }
            }
        } onCancel: {
            state.writes.withLock { $0.takeWaiter() }?.resume(returning: false)
        }
    }

    /// The pipeline part: counts data frames read and written, holds `read` while too much is unread,
    /// and wakes the waiting writer as writes complete.
    final class Handler: ChannelDuplexHandler {
        typealias InboundIn = WebSocketFrame
        typealias InboundOut = WebSocketFrame
        typealias OutboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame

        private let readAhead: Int
        private let state: SharedState
        private var context: ChannelHandlerContext?
        private var readHeld = false

        init(readAhead: Int, state: SharedState) {
            self.readAhead = readAhead
            self.state = state
        }

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        func handlerRemoved(context: ChannelHandlerContext) {
            self.context = nil
            closeWrites()
        }

        func channelInactive(context: ChannelHandlerContext) {
            closeWrites()
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            if frame.opcode.carriesData {  // control frames are answered below the relay, never taken by it
                state.unread.add(frame.length, ordering: .acquiringAndReleasing)
            }
            context.fireChannelRead(data)
        }

        func read(context: ChannelHandlerContext) {
            if state.unread.load(ordering: .acquiring) >= readAhead {
                readHeld = true
            } else {
                context.read()
            }
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let frame = unwrapOutboundIn(data)
            guard frame.opcode.carriesData else {
                context.write(data, promise: promise)
                return
            }
            let written = promise ?? context.eventLoop.makePromise()
            let state = state
            let bytes = frame.length
            written.futureResult.whenComplete { _ in
                state.writes.withLock { w in
                    w.pending = max(0, w.pending - bytes)
                    return w.admitWaiter()
                }?.resume(returning: true)
            }
            context.write(data, promise: written)
        }

        /// On the event loop, after the relay took enough: the held read goes on.
        func resumeReading() {
            guard readHeld, let context, state.unread.load(ordering: .acquiring) < readAhead else { return }
            readHeld = false
            context.read()
        }

        private func closeWrites() {
            state.writes.withLock { w in
                w.closed = true
                return w.takeWaiter()
            }?.resume(returning: false)
        }
    }
}

private extension WebSocketOpcode {
    /// Binary, text and continuation frames: what the relay reads and writes (pings and closes are not).
    var carriesData: Bool { self == .binary || self == .text || self == .continuation }
}
