import Foundation

/// Signed-in browser sessions, keyed by the hash of their cookie token.
public protocol WebSessionRepository: Sendable {
    /// Inserts the session only while its user is enabled and still has `passwordHash`, in one statement;
    /// false otherwise. A sign-in that raced a disable or a password reset cannot leave a live session behind.
    func create(_ session: WebSession, requiringPasswordHash passwordHash: String) async throws(StoreError) -> Bool
    func find(tokenHash: String) async throws(StoreError) -> WebSession?
    func touch(tokenHash: String, at: Date, expiresAt: Date) async throws(StoreError)
    func delete(tokenHash: String) async throws(StoreError)
    /// Signs the user out everywhere, except the session named by `keeping`.
    func deleteAll(userId: String, keeping: String?) async throws(StoreError)
    func purgeExpired(before: Date) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLWebSessionRepository: WebSessionRepository {
    let db: any SQLExecutor

    func create(_ session: WebSession, requiringPasswordHash passwordHash: String) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            """
            INSERT INTO web_sessions (token_hash, user_id, created_at, last_seen_at, expires_at, source_address, user_agent)
            SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS
              (SELECT 1 FROM users WHERE id = ? AND password_hash = ? AND disabled = 0)
            RETURNING token_hash
            """,
            .text(session.tokenHash), .text(session.userId), .from(session.createdAt), .from(session.lastSeenAt),
            .from(session.expiresAt), .from(session.sourceAddress), .from(session.userAgent),
            .text(session.userId), .text(passwordHash)
        )
        return !rows.isEmpty
    }

    func find(tokenHash: String) async throws(StoreError) -> WebSession? {
        guard let row = try await db.first("SELECT * FROM web_sessions WHERE token_hash = ?", .text(tokenHash)) else {
            return nil
        }
        return WebSession(
            tokenHash: try row.text("token_hash"), userId: try row.text("user_id"),
            createdAt: try row.date("created_at"), lastSeenAt: try row.date("last_seen_at"),
            expiresAt: try row.date("expires_at"), sourceAddress: row.optionalText("source_address"),
            userAgent: row.optionalText("user_agent")
        )
    }

    func touch(tokenHash: String, at: Date, expiresAt: Date) async throws(StoreError) {
        try await db.query(
            "UPDATE web_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?",
            .from(at), .from(expiresAt), .text(tokenHash)
        )
    }

    func delete(tokenHash: String) async throws(StoreError) {
        try await db.query("DELETE FROM web_sessions WHERE token_hash = ?", .text(tokenHash))
    }

    func deleteAll(userId: String, keeping: String?) async throws(StoreError) {
        try await db.query(
            "DELETE FROM web_sessions WHERE user_id = ? AND token_hash <> ?", .text(userId), .text(keeping ?? "")
        )
    }

    func purgeExpired(before: Date) async throws(StoreError) {
        try await db.query("DELETE FROM web_sessions WHERE expires_at < ?", .from(before))
    }
}
