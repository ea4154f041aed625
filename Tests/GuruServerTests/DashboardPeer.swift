import Foundation
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket

/// One technician's dashboard WebSocket (`/api/dashboard/ws`) on a live test server, signed in with
/// a session cookie: the JSON notices it receives, in order.
final class DashboardPeer {
    private var inbox: AsyncStream<[String: String]>.AsyncIterator
    private let commands: AsyncStream<Void>.Continuation
    private let connection: Task<WebSocketCloseFrame?, any Error>

    /// Connects as `caller`; call `hello()` before relying on notices (the server registers the
    /// dashboard before it says hello).
    init(_ client: some TestClientProtocol, as caller: Caller) {
        let (received, receive) = AsyncStream.makeStream(of: [String: String].self)
        let (closeStream, commands) = AsyncStream.makeStream(of: Void.self)
        inbox = received.makeAsyncIterator()
        self.commands = commands
        var headers = caller.headers(csrf: false)
        headers[.contentType] = nil
        // Awaited by `closed()`; a test that never closes a peer still ends with the server.
        connection = Task {
            try await client.ws("/api/dashboard/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer { receive.finish() }
                        for try await message in inbound.messages(maxSize: 64 * 1024) {
                            guard case .text(let text) = message,
                                  let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
                            else { continue }
                            receive.yield(object)
                        }
                    }
                    group.addTask {
                        for await _ in closeStream { break }
                        try await outbound.close(.normalClosure, reason: "done")
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// The next notice; nil once the connection closed.
    func next() async -> [String: String]? {
        await inbox.next()
    }

    /// Waits for the server's hello: from then on this dashboard gets every notice.
    func hello() async throws {
        guard let first = await next(), first["type"] == "hello" else { throw DashboardPeerError.noHello }
    }

    func close() {
        commands.yield()
    }

    /// Waits for the connection to end.
    func closed() async throws {
        _ = try await connection.value
    }
}

/// A dashboard connection that did not start as the server promises.
enum DashboardPeerError: Error {
    case noHello
}
