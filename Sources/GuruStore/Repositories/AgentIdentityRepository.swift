import Foundation

/// Whose identity key is bound: a one-time support session's agent, or an enrolled agent.
public enum AgentIdentitySubject: Sendable, Hashable {
    case supportSession(id: String)
    case enrolledAgent(id: String)
}

/// What binding an identity key found.
public enum AgentKeyBinding: Sendable, Equatable {
    /// No key was recorded: this one is now, and it was the first.
    case boundNow
    /// The recorded key is this one.
    case matches
    /// Another key is recorded: the connection is someone else.
    case mismatch
    /// No such session or agent.
    case notFound
}

/// The agents' Ed25519 identity keys (docs/protocol.md §1.1), recorded on first use and compared after.
public protocol AgentIdentityRepository: Sendable {
    /// Records `key` (hex) for `subject` if none is recorded yet, atomically, and says how it compares.
    func bind(_ subject: AgentIdentitySubject, key: String) async throws(StoreError) -> AgentKeyBinding
    /// The recorded key (hex), if any.
    func key(of subject: AgentIdentitySubject) async throws(StoreError) -> String?
    /// Forgets the recorded key, so the next valid proof binds anew; returns the key it forgot (nil if
    /// none was bound). `StoreError.notFound` when there is no such session or agent.
    func reset(_ subject: AgentIdentitySubject) async throws(StoreError) -> String?
}

/// The SQL implementation, shared by SQLite and PostgreSQL: a compare-and-set where the column is NULL.
struct SQLAgentIdentityRepository: AgentIdentityRepository {
    let db: any SQLExecutor

    private static func location(_ subject: AgentIdentitySubject) -> (table: String, column: String, id: String) {
        switch subject {
        case .supportSession(let id): ("support_sessions", "agent_key", id)
        case .enrolledAgent(let id): ("agents", "identity_key", id)
        }
    }

    func bind(_ subject: AgentIdentitySubject, key: String) async throws(StoreError) -> AgentKeyBinding {
        let (table, column, id) = Self.location(subject)
        let set = try await db.query(
            "UPDATE \(table) SET \(column) = ? WHERE id = ? AND \(column) IS NULL RETURNING id", .text(key), .text(id)
        )
        if !set.isEmpty { return .boundNow }
        guard let row = try await db.first("SELECT \(column) AS key FROM \(table) WHERE id = ?", .text(id)) else { return .notFound }
        // NULL here means the row was written between the two statements by something that cleared the key:
        // nothing does, so treat it as a refusal rather than binding twice.
        return row.optionalText("key") == key ? .matches : .mismatch
    }

    func key(of subject: AgentIdentitySubject) async throws(StoreError) -> String? {
        let (table, column, id) = Self.location(subject)
        return try await db.first("SELECT \(column) AS key FROM \(table) WHERE id = ?", .text(id))?.optionalText("key")
    }

    func reset(_ subject: AgentIdentitySubject) async throws(StoreError) -> String? {
        let (table, column, id) = Self.location(subject)
        // The key reported is for the audit: a bind landing between the two statements is cleared too.
        guard let before = try await db.first("SELECT \(column) AS key FROM \(table) WHERE id = ?", .text(id)) else { throw .notFound }
        let rows = try await db.query("UPDATE \(table) SET \(column) = NULL WHERE id = ? RETURNING id", .text(id))
        if rows.isEmpty { throw .notFound }
        return before.optionalText("key")
    }
}
