import Foundation
import GuruStore

/// The operations the workload times, so GuruStore and the sql-kit port run the very same sequence.
protocol UserOperations: Sendable {
    func create(_ user: User) async throws
    func find(id: String) async throws -> User?
    func find(username: String) async throws -> User?
    func list() async throws -> [User]
    func update(_ user: User) async throws
    func delete(id: String) async throws
}

extension SQLKitUserRepository: UserOperations {}

/// Today's layer, through the repository protocol the server uses.
struct GuruStoreOperations: UserOperations {
    let users: any UserRepository
    func create(_ user: User) async throws { try await users.create(user) }
    func find(id: String) async throws -> User? { try await users.find(id: id) }
    func find(username: String) async throws -> User? { try await users.find(username: username) }
    func list() async throws -> [User] { try await users.list() }
    /// The workload's update sets `lastLoginAt`; the repository has no whole-row write (issue #11), so this
    /// is the column-specific write a sign-in does.
    func update(_ user: User) async throws {
        _ = try await users.recordLogin(userId: user.id, verifiedPasswordHash: user.passwordHash, at: user.lastLoginAt ?? .now)
    }
    func delete(id: String) async throws { try await users.delete(id: id) }
}

/// Microseconds per operation for each kind of call: wall time, and this process's CPU time (the client's
/// work, and for SQLite the database's too, which runs in-process), which the shared machine's load disturbs less.
struct Timings {
    var perOperation: [(name: String, wall: Double, cpu: Double)] = []
}

/// CPU time this process has used, in microseconds.
func processCPUMicroseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1e3
}

/// Inserts `count` users, reads each back by name five times and by id once, updates each, lists all twenty
/// times, and deletes each; checks every answer, so a layer that returned wrong rows could not look fast.
func runWorkload(_ operations: some UserOperations, count: Int) async throws -> Timings {
    let users = (0..<count).map { index in
        User(id: UUID().uuidString, username: "user\(index)", displayName: "User \(index)",
             passwordHash: "$2b$04$notarealhashbutlongenoughtolooklikeoneXXXXXXXXXXXXXX", roleId: "technician",
             createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }
    var timings = Timings()
    func timed(_ name: String, _ times: Int, _ body: () async throws -> Void) async throws {
        let start = ContinuousClock.now
        let cpuStart = processCPUMicroseconds()
        try await body()
        let cpu = processCPUMicroseconds() - cpuStart
        let elapsed = ContinuousClock.now - start
        let micro = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        timings.perOperation.append((name, micro / Double(times), cpu / Double(times)))
    }
    try await timed("insert", count) { for user in users { try await operations.create(user) } }
    try await timed("find by name", count * 5) {
        for _ in 0..<5 {
            for user in users {
                guard try await operations.find(username: user.username)?.id == user.id else { throw BenchError.wrongAnswer("find") }
            }
        }
    }
    try await timed("find by id", count) {
        for user in users { guard try await operations.find(id: user.id) == user else { throw BenchError.wrongAnswer("round trip") } }
    }
    try await timed("update", count) {
        for var user in users {
            user.lastLoginAt = Date(timeIntervalSince1970: 1_700_000_100)
            try await operations.update(user)
        }
    }
    try await timed("list all", 20) {
        for _ in 0..<20 { guard try await operations.list().count == count else { throw BenchError.wrongAnswer("list") } }
    }
    try await timed("delete", count) { for user in users { try await operations.delete(id: user.id) } }
    return timings
}

/// The workload saw an answer that was not the one written.
enum BenchError: Error { case wrongAnswer(String) }
