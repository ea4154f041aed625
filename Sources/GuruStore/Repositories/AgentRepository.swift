import Foundation

/// Enrolled agents.
public protocol AgentRepository: Sendable {
    func create(_ agent: AgentRecord) async throws(StoreError)
    func find(id: String) async throws(StoreError) -> AgentRecord?
    func list() async throws(StoreError) -> [AgentRecord]
    /// Records a successful connection.
    func markSeen(id: String, at: Date, agentVersion: String) async throws(StoreError)
    func delete(id: String) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLAgentRepository: AgentRepository {
    let db: any SQLExecutor

    func create(_ agent: AgentRecord) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO agents (id, name, credential_hash, created_at, created_by, last_seen_at, agent_version)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            .text(agent.id), .text(agent.name), .text(agent.credentialHash), .from(agent.createdAt),
            .from(agent.createdBy), .from(agent.lastSeenAt), .from(agent.agentVersion)
        )
    }

    func find(id: String) async throws(StoreError) -> AgentRecord? {
        try await db.first("SELECT * FROM agents WHERE id = ?", .text(id)).map(Self.agent)
    }

    func list() async throws(StoreError) -> [AgentRecord] {
        try await db.query("SELECT * FROM agents ORDER BY name, id").map(Self.agent)
    }

    func markSeen(id: String, at: Date, agentVersion: String) async throws(StoreError) {
        try await db.query("UPDATE agents SET last_seen_at = ?, agent_version = ? WHERE id = ?", .from(at), .text(agentVersion), .text(id))
    }

    func delete(id: String) async throws(StoreError) {
        let rows = try await db.query("DELETE FROM agents WHERE id = ? RETURNING id", .text(id))
        if rows.isEmpty { throw .notFound }
    }

    private static func agent(_ row: DBRow) throws(StoreError) -> AgentRecord {
        AgentRecord(
            id: try row.text("id"), name: try row.text("name"), credentialHash: try row.text("credential_hash"),
            createdAt: try row.date("created_at"), createdBy: row.optionalText("created_by"),
            lastSeenAt: row.optionalDate("last_seen_at"), agentVersion: row.optionalText("agent_version"),
            identityKey: row.optionalText("identity_key")
        )
    }
}
