/// Runs `body`, then awaits `cleanup` whether `body` returned or threw (cancellation included).
///
/// This replaces `defer { Task { await cleanup() } }`: an unwatched task outlives the connection that
/// spawned it, races the next connection's bookkeeping, and is invisible to graceful shutdown.
func withCleanup<T: Sendable>(
    _ body: () async throws -> T, cleanup: () async -> Void
) async throws -> T {
    let value: T
    do {
        value = try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
    return value
}
