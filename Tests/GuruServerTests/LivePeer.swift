import GuruProtocol
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore

/// One WebSocket client of a live test server, driven step by step from a test: it sends what the
/// test gives it, in order, and hands over the envelopes it receives. A peer made with
/// `reading: false` reads nothing until `startReading()`, so it plays a slow viewer.
final class LivePeer {
    private enum Command: Sendable {
        case send([UInt8])
        case close
    }

    private var inbox: AsyncStream<Envelope>.AsyncIterator
    private let commands: AsyncStream<Command>.Continuation
    private let gate: AsyncStream<Void>.Continuation
    private let connection: Task<WebSocketCloseFrame?, any Error>

    init(_ client: some TestClientProtocol, _ path: String, reading: Bool = true) {
        let (received, receive) = AsyncStream.makeStream(of: Envelope.self)
        let (commandStream, commands) = AsyncStream.makeStream(of: Command.self)
        let (gateStream, gate) = AsyncStream.makeStream(of: Void.self)
        if reading { gate.yield() }
        inbox = received.makeAsyncIterator()
        self.commands = commands
        self.gate = gate
        // Awaited by `closed()`; a test that never closes a peer still ends with the server.
        connection = Task {
            try await client.ws(path, configuration: .init(maxFrameSize: 2 * EnvelopeCodec.maxFrame)) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer { receive.finish() }
                        for await _ in gateStream { break }
                        for try await message in inbound.messages(maxSize: 2 * EnvelopeCodec.maxFrame) {
                            guard case .binary(let buffer) = message else { continue }
                            receive.yield(try EnvelopeCodec.decode(Array(buffer.readableBytesView)))
                        }
                    }
                    group.addTask {
                        for await command in commandStream {
                            switch command {
                            case .send(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                            case .close: try await outbound.close(.normalClosure, reason: "done")
                            }
                        }
                    }
                    // The reader ends when the server closes; the writer then has nothing left to do.
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    func send(_ message: Envelope) throws {
        commands.yield(.send(try EnvelopeCodec.encode(message)))
    }

    /// Bytes as they are, for frames the codec would refuse to make.
    func send(raw bytes: [UInt8]) {
        commands.yield(.send(bytes))
    }

    /// The next envelope from the server; nil once it closed the connection.
    func next() async -> Envelope? {
        await inbox.next()
    }

    /// Lets a peer made with `reading: false` read from now on.
    func startReading() {
        gate.yield()
    }

    func close() {
        commands.yield(.close)
    }

    /// Waits for the connection to end; the close frame the server sent, if any.
    func closed() async throws -> WebSocketCloseFrame? {
        try await connection.value
    }
}
