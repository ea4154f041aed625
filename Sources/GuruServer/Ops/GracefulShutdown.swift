import Hummingbird
import Logging
import ServiceLifecycle

/// How `guruconnect serve` ends on SIGTERM or SIGINT: within `ShutdownLimits.total`, in every state.
///
/// Graceful shutdown first: the HTTP server stops accepting, every WebSocket is sent a close frame, and each
/// handler ends once its peer answers (or leaves). A peer that never answers does not hold the process: past
/// `graceful` the group cancels what is left, which closes the sockets' input and ends their handlers.
public enum ShutdownLimits {
    /// Time for connections to close by themselves after the signal.
    public static let graceful: Duration = .seconds(3)
    /// Time for cancelled work to finish; past it ServiceLifecycle stops the process with a fatal error,
    /// so a handler that ignores cancellation shows up as a crash in the log rather than as a hung restart.
    public static let cancellation: Duration = .milliseconds(1500)
    /// The most SIGTERM can take to end the server.
    public static var total: Duration { graceful + cancellation }
}

extension GuruServerApp {
    /// Runs the server until SIGTERM or SIGINT, and returns within `ShutdownLimits.total` of the signal.
    public func runUntilSignalled(logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        configuration.maximumGracefulShutdownDuration = ShutdownLimits.graceful
        configuration.maximumCancellationDuration = ShutdownLimits.cancellation
        try await ServiceGroup(configuration: configuration).run()
        logger.info("server stopped")
    }
}
