import Foundation
import Logging
import ServiceLifecycle

/// Expires pending codes and ends idle support sessions, every few seconds, until shutdown.
struct SupportSweeper: Service {
    let support: SupportSessions
    let logger: Logger
    var interval: Duration = .seconds(15)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            do {
                let idleMinutes = try await support.store.settings.load().sessionIdleMinutes
                try await support.sweep(idle: TimeInterval(max(1, idleMinutes) * 60))
            } catch {
                logger.warning("support sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
