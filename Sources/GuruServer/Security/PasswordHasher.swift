import HummingbirdBcrypt
import NIOPosix

/// bcrypt off the event loops, through one bounded `BcryptQueue`, so a login flood cannot starve the
/// server: when the queue is full, `hash` and `verify` throw `BcryptQueue.Busy` (503, `Retry-After`).
struct PasswordHasher: Sendable {
    let cost: UInt8
    private let queue: BcryptQueue

    /// bcrypt's own threads, for the life of the process (like `NIOThreadPool.singleton`). The SQLite
    /// driver runs every call on the shared singleton pool: with bcrypt there too, each database round
    /// trip of every request waited behind the whole bcrypt backlog, and a login flood held every
    /// answer, even the 429s and 503s, until it had drained.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// A hash of the configured cost to verify against when the user does not exist, so timing does
    /// not reveal which usernames are real.
    let decoyHash: String

    /// Four hashes at a time (one per thread of `threads`), and 64 waiting: at cost 12 a full queue
    /// drains in a few seconds.
    init(cost: Int, slots: Int = 4, maxWaiting: Int = 64) {
        self.cost = UInt8(clamping: cost)
        self.queue = BcryptQueue(slots: slots, maxWaiting: maxWaiting)
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
        return try await queue.run { try await Self.threads.runIfActive { Bcrypt.hash(password, cost: cost) } }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await queue.run { try await Self.threads.runIfActive { Bcrypt.verify(password, hash: hash) } }
    }
}
