import Foundation

/// Teams of technicians.
public protocol TeamRepository: Sendable {
    func list() async throws(StoreError) -> [Team]
    func find(id: String) async throws(StoreError) -> Team?
    func create(_ team: Team) async throws(StoreError)
    func rename(id: String, to name: String) async throws(StoreError)
    /// Deletes the team; its members stay, without a team.
    func delete(id: String) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLTeamRepository: TeamRepository {
    let db: any SQLExecutor

    private static let select = """
        SELECT t.id, t.name, t.created_at, (SELECT COUNT(*) FROM users u WHERE u.team_id = t.id) AS members
        FROM teams t
        """

    func list() async throws(StoreError) -> [Team] {
        try await db.query("\(Self.select) ORDER BY t.name").map(Self.team)
    }

    func find(id: String) async throws(StoreError) -> Team? {
        try await db.first("\(Self.select) WHERE t.id = ?", .text(id)).map(Self.team)
    }

    func create(_ team: Team) async throws(StoreError) {
        try await db.query(
            "INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)",
            .text(team.id), .text(team.name), .from(team.createdAt)
        )
    }

    func rename(id: String, to name: String) async throws(StoreError) {
        let rows = try await db.query("UPDATE teams SET name = ? WHERE id = ? RETURNING id", .text(name), .text(id))
        if rows.isEmpty { throw .notFound }
    }

    func delete(id: String) async throws(StoreError) {
        try await db.transaction { (tx) async throws(StoreError) in
            try await tx.query("UPDATE users SET team_id = NULL WHERE team_id = ?", .text(id))
            let rows = try await tx.query("DELETE FROM teams WHERE id = ? RETURNING id", .text(id))
            if rows.isEmpty { throw .notFound }
        }
    }

    private static func team(_ row: DBRow) throws(StoreError) -> Team {
        Team(
            id: try row.text("id"), name: try row.text("name"), createdAt: try row.date("created_at"),
            memberCount: Int(try row.int("members"))
        )
    }
}
