import HummingbirdWebSocket

/// The dashboard WebSocket: a hello, then one notice per support-session change.
///
/// The browser never sends anything, but the inbound side is read all the same: it is how the handler
/// learns that the dashboard went away. A handler that only waited for notices outlived its socket, and
/// the HTTP server, which waits for every connection's handler, then never finished a graceful shutdown.
enum DashboardSocket {
    /// The most the dashboard may send in one message; it has nothing to say.
    static let maxInbound = 1024
    /// How often an idle dashboard gets a keep-alive notice: under the 60 s idle timeout of a proxy in front
    /// (nginx's default), since the server runs no WebSocket ping per connection (`RelayWatchdog`).
    static let keepAlive: Duration = .seconds(30)

    static func serve(
        notices: AsyncStream<String>, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in inbound.messages(maxSize: maxInbound) {}
            }
            group.addTask {
                try await outbound.write(.text(#"{"type":"hello"}"#))
                for await notice in notices {
                    try await outbound.write(.text(notice))
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: keepAlive)
                    try await outbound.write(.text(#"{"type":"keepalive"}"#))
                }
            }
            // Whichever side ends first (the browser left, or the notices stopped) ends the other.
            try await group.next()
            group.cancelAll()
        }
    }
}
