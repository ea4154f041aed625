import HummingbirdBcrypt
import NIOPosix

/// bcrypt off the event loops, with a cap on how many run at once so a login flood cannot starve the server.
struct PasswordHasher: Sendable {
    let cost: UInt8
    private let slots: ConcurrencyLimiter

    /// A hash of the configured cost to verify against when the user does not exist, so timing does
    /// not reveal which usernames are real.
    let decoyHash: String

    init(cost: Int, maxConcurrent: Int = 4) {
        self.cost = UInt8(clamping: cost)
        self.slots = ConcurrencyLimiter(limit: maxConcurrent)
        self.decoyHash = Bcrypt.hash(SecureToken.make(), cost: UInt8(clamping: cost))
    }

    /// Passwords bcrypt can take whole: 10 to 72 bytes.
    static func validate(_ password: String) throws -> Void {
        let bytes = password.utf8.count
        guard bytes >= 10 else { throw APIError.badRequest("Use at least 10 characters for the password.") }
        guard bytes <= 72 else { throw APIError.badRequest("Passwords can be at most 72 bytes long.") }
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await slots.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) } }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await slots.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) } }
    }
}

/// Lets at most `limit` operations run at once; the rest wait their turn.
actor ConcurrencyLimiter {
    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }
}
