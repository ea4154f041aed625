import Foundation
import ServiceLifecycle

/// Coalesces "the machine list changed" (an agent came or went, reported inventory, was flagged) into at
/// most one `{"type":"agents.changed"}` per second to every dashboard. Dashboards re-read their page through
/// the scope-filtered API, so the notice carries no machine data.
///
/// `changed()` never waits: it drops a mark into a one-slot buffer. `run()` (a service) takes the mark,
/// sends one notice, then sleeps the interval, so a burst of 19,000 connecting agents costs one notice a second.
struct AgentChangeNotices: Service {
    static let notice = #"{"type":"agents.changed"}"#
    let dashboards: DashboardHub
    let interval: Duration
    private let marks: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(dashboards: DashboardHub, interval: Duration = .seconds(1)) {
        self.dashboards = dashboards
        self.interval = interval
        let (marks, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.marks = marks
        self.continuation = continuation
    }

    /// Something on the list changed; a notice follows within `interval`.
    func changed() {
        continuation.yield()
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in marks {
                await dashboards.broadcast(Self.notice)
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return // cancelled: the server is stopping
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}
