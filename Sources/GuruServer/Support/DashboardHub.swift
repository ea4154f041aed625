import Foundation

/// The dashboard WebSocket's fan-out. Every open dashboard gets a short notice when a support session
/// changes, and re-reads the list through the permission-filtered API; those notices carry no session
/// data. A notice for one user (a session assigned to them) goes only to that user's dashboards.
actor DashboardHub {
    /// Notices queued per dashboard before older ones are dropped (a re-read covers any it missed).
    static let queue = 16

    private struct Listener {
        let userId: String
        let continuation: AsyncStream<String>.Continuation
    }

    private var listeners: [Int: Listener] = [:]
    private var lastId = 0

    /// A stream of JSON notices for one dashboard of `userId`; ends when `remove` is called.
    func add(userId: String) -> (id: Int, notices: AsyncStream<String>) {
        lastId += 1
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(Self.queue))
        listeners[lastId] = Listener(userId: userId, continuation: continuation)
        return (lastId, stream)
    }

    func remove(_ id: Int) {
        listeners.removeValue(forKey: id)?.continuation.finish()
    }

    /// Tells every dashboard that the session changed.
    func supportChanged(_ sessionId: String) {
        let notice = #"{"type":"support.changed","sessionId":"\#(sessionId)"}"#
        for listener in listeners.values { listener.continuation.yield(notice) }
    }

    /// Sends `notice` (JSON) to every dashboard.
    func broadcast(_ notice: String) {
        for listener in listeners.values { listener.continuation.yield(notice) }
    }

    /// Sends `notice` (JSON) to the dashboards of one user only.
    func send(_ notice: String, toUser userId: String) {
        for listener in listeners.values where listener.userId == userId { listener.continuation.yield(notice) }
    }

    var count: Int { listeners.count }
}
