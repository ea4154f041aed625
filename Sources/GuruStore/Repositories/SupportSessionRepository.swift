import Foundation

/// Support sessions and their codes. The database refuses two active sessions with one code.
public protocol SupportSessionRepository: Sendable {
    /// Inserts a new session; `.conflict` when its code is already active.
    func create(_ session: SupportSession) async throws(StoreError)
    func find(id: String) async throws(StoreError) -> SupportSession?
    /// The active session holding `code`, if any.
    func findActive(code: String) async throws(StoreError) -> SupportSession?
    /// The most recent session that ever held `code` (for telling "cancelled" from "never issued").
    func findLatest(code: String) async throws(StoreError) -> SupportSession?
    /// Active sessions, and those that ended within `recentSince`, newest first.
    func list(endedSince recentSince: Date) async throws(StoreError) -> [SupportSession]
    /// Codes of every active session.
    func activeCodes() async throws(StoreError) -> Set<String>
    /// Records the machine's name, and nothing else; `.notFound` if there is no such session.
    func setMachineName(id: String, _ name: String) async throws(StoreError)
    /// Gives an active session to `ownerId`; false when it is no longer active.
    func transfer(id: String, to ownerId: String) async throws(StoreError) -> Bool
    /// Makes an unassigned active session `ownerId`'s; false when someone owns it already or it ended.
    func claim(id: String, by ownerId: String) async throws(StoreError) -> Bool
    /// Moves an active session to `status` only if it is still in one of `from`; false if it was not.
    func transition(id: String, from: [SupportSession.Status], to status: SupportSession.Status, at: Date, reason: String?) async throws(StoreError) -> Bool
    /// Pending sessions whose expiry has passed become `expired`; returns their ids.
    func expirePending(now: Date) async throws(StoreError) -> [String]
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLSupportSessionRepository: SupportSessionRepository {
    let db: any SQLExecutor

    func create(_ session: SupportSession) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO support_sessions (id, code, status, active, owner_id, created_by, visibility, machine_name,
              created_at, expires_at, connected_at, ended_at, end_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(session.id), .text(session.code), .text(session.status.rawValue), .from(session.status.isActive ? Int64(1) : nil),
            .from(session.ownerId), .text(session.createdBy), .text(session.visibility.rawValue), .from(session.machineName),
            .from(session.createdAt), .from(session.expiresAt), .from(session.connectedAt), .from(session.endedAt), .from(session.endReason)
        )
    }

    func find(id: String) async throws(StoreError) -> SupportSession? {
        try await db.first("SELECT * FROM support_sessions WHERE id = ?", .text(id)).map(Self.session)
    }

    func findActive(code: String) async throws(StoreError) -> SupportSession? {
        try await db.first("SELECT * FROM support_sessions WHERE code = ? AND active = 1", .text(code)).map(Self.session)
    }

    func findLatest(code: String) async throws(StoreError) -> SupportSession? {
        try await db.first("SELECT * FROM support_sessions WHERE code = ? ORDER BY created_at DESC LIMIT 1", .text(code)).map(Self.session)
    }

    func list(endedSince recentSince: Date) async throws(StoreError) -> [SupportSession] {
        try await db.query(
            "SELECT * FROM support_sessions WHERE active = 1 OR ended_at >= ? ORDER BY created_at DESC LIMIT 1000", .from(recentSince)
        ).map(Self.session)
    }

    func activeCodes() async throws(StoreError) -> Set<String> {
        Set(try await db.query("SELECT code FROM support_sessions WHERE active = 1").map { row throws(StoreError) in try row.text("code") })
    }

    func setMachineName(id: String, _ name: String) async throws(StoreError) {
        let rows = try await db.query("UPDATE support_sessions SET machine_name = ? WHERE id = ? RETURNING id", .text(name), .text(id))
        if rows.isEmpty { throw .notFound }
    }

    func transfer(id: String, to ownerId: String) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            "UPDATE support_sessions SET owner_id = ? WHERE id = ? AND active = 1 RETURNING id", .text(ownerId), .text(id)
        )
        return !rows.isEmpty
    }

    func claim(id: String, by ownerId: String) async throws(StoreError) -> Bool {
        let rows = try await db.query(
            "UPDATE support_sessions SET owner_id = ? WHERE id = ? AND active = 1 AND owner_id IS NULL RETURNING id",
            .text(ownerId), .text(id)
        )
        return !rows.isEmpty
    }

    func transition(id: String, from: [SupportSession.Status], to status: SupportSession.Status, at: Date, reason: String?) async throws(StoreError) -> Bool {
        let fromList = from.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let ends = !status.isActive
        let rows = try await db.query(
            """
            UPDATE support_sessions SET status = ?, active = ?,
              connected_at = CASE WHEN ? = 'connected' AND connected_at IS NULL THEN ? ELSE connected_at END,
              ended_at = CASE WHEN ? = 1 THEN ? ELSE ended_at END,
              end_reason = CASE WHEN ? = 1 THEN ? ELSE end_reason END
            WHERE id = ? AND status IN (\(fromList)) RETURNING id
            """,
            .text(status.rawValue), .from(status.isActive ? Int64(1) : nil),
            .text(status.rawValue), .from(at),
            .from(ends), .from(at),
            .from(ends), .from(reason),
            .text(id)
        )
        return !rows.isEmpty
    }

    func expirePending(now: Date) async throws(StoreError) -> [String] {
        try await db.query(
            """
            UPDATE support_sessions SET status = 'expired', active = NULL, ended_at = ?, end_reason = 'expired'
            WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? RETURNING id
            """,
            .from(now), .from(now)
        ).map { row throws(StoreError) in try row.text("id") }
    }

    private static func session(_ row: DBRow) throws(StoreError) -> SupportSession {
        guard let status = SupportSession.Status(rawValue: try row.text("status")) else { throw .corrupt(column: "status") }
        guard let visibility = ServerSettings.Visibility(rawValue: try row.text("visibility")) else { throw .corrupt(column: "visibility") }
        return SupportSession(
            id: try row.text("id"), code: try row.text("code"), status: status, ownerId: row.optionalText("owner_id"),
            createdBy: try row.text("created_by"), visibility: visibility, machineName: row.optionalText("machine_name"),
            createdAt: try row.date("created_at"), expiresAt: row.optionalDate("expires_at"), connectedAt: row.optionalDate("connected_at"),
            endedAt: row.optionalDate("ended_at"), endReason: row.optionalText("end_reason")
        )
    }
}
