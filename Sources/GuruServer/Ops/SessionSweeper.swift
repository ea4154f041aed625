import Foundation
import GuruStore
import Logging
import ServiceLifecycle

/// Deletes expired browser sessions every few minutes, until shutdown.
struct SessionSweeper: Service {
    let store: Store
    let logger: Logger
    var interval: Duration = .seconds(300)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // Sleep first: migrations run while the services start.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            do {
                try await store.webSessions.purgeExpired(before: .now)
            } catch {
                logger.warning("session sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Closes the store once the service group shuts down (SQLite must be closed explicitly).
struct StoreCloser: Service {
    let store: Store

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}
