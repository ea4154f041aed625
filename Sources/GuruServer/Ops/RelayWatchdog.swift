import Logging
import ServiceLifecycle

/// Ends relay links whose peer stopped speaking (`LinkLiveness`), every few seconds, until shutdown: the
/// one timer for all connections that a per-connection WebSocket ping task would otherwise be.
struct RelayWatchdog: Service {
    let hub: RelayHub
    let logger: Logger
    var interval: Duration = .seconds(5)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutdown or cancellation: nothing more to watch
            }
            let ended = await hub.endSilentLinks()
            if ended > 0 { logger.notice("relay links ended: no heartbeat", metadata: ["count": "\(ended)"]) }
        }
    }
}
