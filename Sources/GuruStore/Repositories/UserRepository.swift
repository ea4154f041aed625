import Foundation

/// Technician accounts, their recovery codes, and the one-time creation of the first admin.
public protocol UserRepository: Sendable {
    func create(_ user: User) async throws(StoreError)
    /// Creates the first admin, exactly once in the server's life; later calls throw `.conflict`.
    func createFirstAdmin(_ user: User) async throws(StoreError)
    func isSetupComplete() async throws(StoreError) -> Bool
    func find(id: String) async throws(StoreError) -> User?
    func find(username: String) async throws(StoreError) -> User?
    func list() async throws(StoreError) -> [User]
    func update(_ user: User) async throws(StoreError)
    func delete(id: String) async throws(StoreError)
    func countUsers(withRole roleId: String) async throws(StoreError) -> Int
    /// Accepts a TOTP time step only if it is newer than the last one used: the replay guard.
    func advanceTotpStep(userId: String, to step: Int64) async throws(StoreError) -> Bool
    func replaceRecoveryCodes(userId: String, hashes: [String]) async throws(StoreError)
    /// Marks a recovery code used; false if it is unknown or was used before.
    func consumeRecoveryCode(userId: String, hash: String, at: Date) async throws(StoreError) -> Bool
    func remainingRecoveryCodes(userId: String) async throws(StoreError) -> Int
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLUserRepository: UserRepository {
    let db: any SQLExecutor

    private static let columns = """
        id, username, display_name, password_hash, role_id, team_id, totp_secret, totp_pending_secret,
        totp_last_step, disabled, created_at, last_login_at
        """

    private static func insert(_ user: User, on db: any SQLExecutor) async throws(StoreError) {
        try await db.query(
            "INSERT INTO users (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            .text(user.id), .text(user.username), .text(user.displayName), .text(user.passwordHash),
            .text(user.roleId), .from(user.teamId), .from(user.totpSecret), .from(user.totpPendingSecret),
            .int(user.totpLastStep), .from(user.disabled), .from(user.createdAt), .from(user.lastLoginAt)
        )
    }

    func create(_ user: User) async throws(StoreError) {
        try await Self.insert(user, on: db)
    }

    func createFirstAdmin(_ user: User) async throws(StoreError) {
        try await db.transaction { (tx) async throws(StoreError) in
            // The primary key makes this row the once-only latch, even with several nodes racing.
            try await tx.query(
                "INSERT INTO server_state (key, value) VALUES ('setup_complete', ?)",
                .text(String(Date.now.millisecondsSince1970))
            )
            try await Self.insert(user, on: tx)
        }
    }

    func isSetupComplete() async throws(StoreError) -> Bool {
        try await db.first("SELECT value FROM server_state WHERE key = 'setup_complete'") != nil
    }

    func find(id: String) async throws(StoreError) -> User? {
        try await db.first("SELECT \(Self.columns) FROM users WHERE id = ?", .text(id)).map(Self.user)
    }

    func find(username: String) async throws(StoreError) -> User? {
        try await db.first("SELECT \(Self.columns) FROM users WHERE username = ?", .text(username)).map(Self.user)
    }

    func list() async throws(StoreError) -> [User] {
        try await db.query("SELECT \(Self.columns) FROM users ORDER BY display_name, username").map(Self.user)
    }

    func update(_ user: User) async throws(StoreError) {
        let rows = try await db.query(
            """
            UPDATE users SET username = ?, display_name = ?, password_hash = ?, role_id = ?, team_id = ?,
              totp_secret = ?, totp_pending_secret = ?, totp_last_step = ?, disabled = ?, last_login_at = ?
            WHERE id = ? RETURNING id
            """,
            .text(user.username), .text(user.displayName), .text(user.passwordHash), .text(user.roleId),
            .from(user.teamId), .from(user.totpSecret), .from(user.totpPendingSecret), .int(user.totpLastStep),
            .from(user.disabled), .from(user.lastLoginAt), .text(user.id)
        )
        if rows.isEmpty { throw .notFound }
    }

    func delete(id: String) async throws(StoreError) {
        let rows = try await db.query("DELETE FROM users WHERE id = ? RETURNING id", .text(id))
        if rows.isEmpty { throw .notFound }
    }

    func countUsers(withRole roleId: String) async throws(StoreError) -> Int {
        let row = try await db.first("SELECT COUNT(*) AS n FROM users WHERE role_id = ? AND disabled = 0", .text(roleId))
        return Int(try row?.int("n") ?? 0)
    }

    func advanceTotpStep(userId: String, to step: Int64) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ? RETURNING id",
            .int(step), .text(userId), .int(step)
        )
        return !rows.isEmpty
    }

    func replaceRecoveryCodes(userId: String, hashes: [String]) async throws(StoreError) {
        try await db.transaction { (tx) async throws(StoreError) in
            try await tx.query("DELETE FROM recovery_codes WHERE user_id = ?", .text(userId))
            for hash in hashes {
                try await tx.query("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", .text(userId), .text(hash))
            }
        }
    }

    func consumeRecoveryCode(userId: String, hash: String, at: Date) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL RETURNING code_hash",
            .from(at), .text(userId), .text(hash)
        )
        return !rows.isEmpty
    }

    func remainingRecoveryCodes(userId: String) async throws(StoreError) -> Int {
        let row = try await db.first(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", .text(userId)
        )
        return Int(try row?.int("n") ?? 0)
    }

    private static func user(_ row: DBRow) throws(StoreError) -> User {
        User(
            id: try row.text("id"), username: try row.text("username"), displayName: try row.text("display_name"),
            passwordHash: try row.text("password_hash"), roleId: try row.text("role_id"),
            teamId: row.optionalText("team_id"), totpSecret: row.optionalText("totp_secret"),
            totpPendingSecret: row.optionalText("totp_pending_secret"), totpLastStep: try row.int("totp_last_step"),
            disabled: try row.bool("disabled"), createdAt: try row.date("created_at"),
            lastLoginAt: row.optionalDate("last_login_at")
        )
    }
}
