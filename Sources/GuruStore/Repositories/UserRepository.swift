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
    /// Writes only the columns `changes` names and returns the row as it now is; `.notFound` if it is gone.
    func update(id: String, _ changes: UserChanges) async throws(StoreError) -> User
    /// Replaces the password hash, and nothing else. With `expected`, only if the hash is still that one
    /// (a user's own change must not undo an administrator's reset); false if it was not.
    func setPasswordHash(userId: String, to hash: String, expected: String?) async throws(StoreError) -> Bool
    /// Records a sign-in, but only while the account is enabled and still has the password hash the caller
    /// verified: a login that raced a disable or a password reset gets nil and must not sign in.
    func recordLogin(userId: String, verifiedPasswordHash: String, at: Date) async throws(StoreError) -> User?
    /// Starts a TOTP enrolment; false when two-factor is already on.
    func setPendingTotpSecret(userId: String, sealed: String) async throws(StoreError) -> Bool
    /// Turns two-factor on with the pending secret, if that is still the pending one and it is not on yet.
    func confirmTotp(userId: String, pendingSecret: String, step: Int64) async throws(StoreError) -> Bool
    /// Turns two-factor off and forgets any pending enrolment.
    func clearTotp(userId: String) async throws(StoreError)
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

    func update(id: String, _ changes: UserChanges) async throws(StoreError) -> User {
        var assignments: [String] = []
        var binds: [DBValue] = []
        if let displayName = changes.displayName { assignments.append("display_name = ?"); binds.append(.text(displayName)) }
        if let roleId = changes.roleId { assignments.append("role_id = ?"); binds.append(.text(roleId)) }
        if let teamId = changes.teamId { assignments.append("team_id = ?"); binds.append(.from(teamId)) }
        if let disabled = changes.disabled { assignments.append("disabled = ?"); binds.append(.from(disabled)) }
        let row: DBRow?
        if assignments.isEmpty {
            row = try await db.first("SELECT \(Self.columns) FROM users WHERE id = ?", .text(id))
        } else {
            row = try await db.query(
                "UPDATE users SET \(assignments.joined(separator: ", ")) WHERE id = ? RETURNING \(Self.columns)",
                binds + [.text(id)]
            ).first
        }
        guard let row else { throw .notFound }
        return try Self.user(row)
    }

    func setPasswordHash(userId: String, to hash: String, expected: String?) async throws(StoreError) -> Bool {
        let rows: [DBRow]
        if let expected {
            rows = try await db.query(
                "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ? RETURNING id",
                .text(hash), .text(userId), .text(expected)
            )
        } else {
            rows = try await db.query("UPDATE users SET password_hash = ? WHERE id = ? RETURNING id", .text(hash), .text(userId))
        }
        return !rows.isEmpty
    }

    func recordLogin(userId: String, verifiedPasswordHash: String, at: Date) async throws(StoreError) -> User? {
        try await db.first(
            """
            UPDATE users SET last_login_at = ? WHERE id = ? AND password_hash = ? AND disabled = 0
            RETURNING \(Self.columns)
            """,
            .from(at), .text(userId), .text(verifiedPasswordHash)
        ).map(Self.user)
    }

    func setPendingTotpSecret(userId: String, sealed: String) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            "UPDATE users SET totp_pending_secret = ? WHERE id = ? AND totp_secret IS NULL RETURNING id",
            .text(sealed), .text(userId)
        )
        return !rows.isEmpty
    }

    func confirmTotp(userId: String, pendingSecret: String, step: Int64) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            """
            UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ?
            WHERE id = ? AND totp_pending_secret = ? AND totp_secret IS NULL RETURNING id
            """,
            .int(step), .text(userId), .text(pendingSecret)
        )
        return !rows.isEmpty
    }

    func clearTotp(userId: String) async throws(StoreError) {
        let rows = try await db.query(
            "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL WHERE id = ? RETURNING id", .text(userId)
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
