import Foundation

/// The one-time agent's downloads (docs/support.md §4): a ticket per checked code, spent by one download,
/// which stores the hash of the secret it baked into that agent's trailer.
public protocol SupportDownloadRepository: Sendable {
    /// Records a ticket (its SHA-256) for `sessionId`. Fails with `.conflict` when the session already has
    /// `limit` live tickets and downloads, so a known code cannot grow the table without bound.
    func issue(ticketHash: String, sessionId: String, at: Date, expiresAt: Date, limit: Int) async throws(StoreError)
    /// Spends an unexpired, unspent ticket, storing the download's secret hash; the session id, or nil when the
    /// ticket is unknown, expired or already spent.
    func redeem(ticketHash: String, secretHash: String, at: Date) async throws(StoreError) -> String?
    /// Whether a download of `sessionId` carried the secret with this hash.
    func hasSecret(sessionId: String, secretHash: String) async throws(StoreError) -> Bool
    /// Forgets tickets that expired unspent before `before`; returns how many.
    func purgeExpired(before: Date) async throws(StoreError) -> Int
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLSupportDownloadRepository: SupportDownloadRepository {
    let db: any SQLExecutor

    func issue(ticketHash: String, sessionId: String, at: Date, expiresAt: Date, limit: Int) async throws(StoreError) {
        _ = try await purgeExpired(before: at)
        // One statement: the count and the insert cannot be split by another request.
        let rows = try await db.query(
            """
            INSERT INTO support_downloads (ticket_hash, session_id, created_at, expires_at)
            SELECT ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM support_downloads WHERE session_id = ?) < ? RETURNING ticket_hash
            """,
            .text(ticketHash), .text(sessionId), .from(at), .from(expiresAt), .text(sessionId), .int(Int64(limit))
        )
        if rows.isEmpty { throw .conflict("too many downloads for this session") }
    }

    func redeem(ticketHash: String, secretHash: String, at: Date) async throws(StoreError) -> String? {
        try await db.first(
            """
            UPDATE support_downloads SET redeemed_at = ?, secret_hash = ?
            WHERE ticket_hash = ? AND redeemed_at IS NULL AND expires_at > ? RETURNING session_id
            """,
            .from(at), .text(secretHash), .text(ticketHash), .from(at)
        ).map { row throws(StoreError) in try row.text("session_id") }
    }

    func hasSecret(sessionId: String, secretHash: String) async throws(StoreError) -> Bool {
        try await db.first(
            "SELECT session_id FROM support_downloads WHERE secret_hash = ? AND session_id = ?", .text(secretHash), .text(sessionId)
        ) != nil
    }

    func purgeExpired(before: Date) async throws(StoreError) -> Int {
        try await db.query(
            "DELETE FROM support_downloads WHERE redeemed_at IS NULL AND expires_at <= ? RETURNING ticket_hash", .from(before)
        ).count
    }
}
