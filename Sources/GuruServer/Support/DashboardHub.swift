import Foundation

/// The dashboard WebSocket's fan-out: every open dashboard gets a short notice when a support session
/// changes, and re-reads the list through the permission-filtered API. Notices carry no session data.
actor DashboardHub {
    /// Notices queued per dashboard before older ones are dropped (a re-read covers any it missed).
    static let queue = 16

    private var listeners: [Int: AsyncStream<String>.Continuation] = [:]
    private var lastId = 0

    /// A stream of JSON notices for one dashboard; ends when `remove` is called.
    func add() -> (id: Int, notices: AsyncStream<String>) {
        lastId += 1
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(Self.queue))
        listeners[lastId] = continuation
        return (lastId, stream)
    }

    func remove(_ id: Int) {
        listeners.removeValue(forKey: id)?.finish()
    }

    /// Tells every dashboard that the session changed.
    func supportChanged(_ sessionId: String) {
        let notice = #"{"type":"support.changed","sessionId":"\#(sessionId)"}"#
        for continuation in listeners.values { continuation.yield(notice) }
    }

    var count: Int { listeners.count }
}
