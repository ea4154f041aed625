import Foundation

/// The append-only audit log. There is deliberately no update or delete.
public protocol AuditRepository: Sendable {
    func append(_ event: AuditEvent) async throws(StoreError)
    /// Matching events, newest first, and how many match in all.
    func list(_ filter: AuditFilter) async throws(StoreError) -> (events: [AuditEvent], total: Int)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLAuditRepository: AuditRepository {
    let db: any SQLExecutor

    func append(_ event: AuditEvent) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO audit_events (at, actor_id, actor_name, source_address, action, target, outcome, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .from(event.at), .from(event.actorId), .from(event.actorName), .from(event.sourceAddress),
            .text(event.action), .from(event.target), .text(event.outcome.rawValue), .from(event.detail)
        )
    }

    func list(_ filter: AuditFilter) async throws(StoreError) -> (events: [AuditEvent], total: Int) {
        var conditions: [String] = []
        var binds: [DBValue] = []
        if let prefix = filter.actionPrefix, !prefix.isEmpty {
            // substr keeps LIKE's wildcards out of user input.
            conditions.append("substr(action, 1, CAST(? AS INTEGER)) = ?")
            binds += [.int(Int64(prefix.count)), .text(prefix)]
        }
        if let actor = filter.actor, !actor.isEmpty {
            conditions.append("(actor_name = ? OR actor_id = ?)")
            binds += [.text(actor), .text(actor)]
        }
        if let outcome = filter.outcome {
            conditions.append("outcome = ?")
            binds.append(.text(outcome.rawValue))
        }
        if let since = filter.since {
            conditions.append("at >= ?")
            binds.append(.from(since))
        }
        if let until = filter.until {
            conditions.append("at < ?")
            binds.append(.from(until))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = try await db.query("SELECT COUNT(*) AS n FROM audit_events \(whereClause)", binds).first?.int("n") ?? 0
        let rows = try await db.query(
            "SELECT * FROM audit_events \(whereClause) ORDER BY id DESC LIMIT ? OFFSET ?",
            binds + [.int(Int64(filter.limit)), .int(Int64(filter.offset))]
        )
        let events = try rows.map { (row) throws(StoreError) -> AuditEvent in
            guard let outcome = AuditEvent.Outcome(rawValue: try row.text("outcome")) else {
                throw .corrupt(column: "outcome")
            }
            return AuditEvent(
                id: try row.int("id"), at: try row.date("at"), actorId: row.optionalText("actor_id"),
                actorName: row.optionalText("actor_name"), sourceAddress: row.optionalText("source_address"),
                action: try row.text("action"), target: row.optionalText("target"), outcome: outcome,
                detail: row.optionalText("detail")
            )
        }
        return (events, Int(total))
    }
}
