import Foundation

/// Saved filters: a user's own, and those others share with the team.
public protocol SavedFilterRepository: Sendable {
    /// The filters `userId` sees: their own and every shared one; pinned first, then by name.
    func list(visibleTo userId: String) async throws(StoreError) -> [SavedFilter]
    func find(id: String) async throws(StoreError) -> SavedFilter?
    /// Several at once, for role scopes (missing ids are left out).
    func find(ids: [String]) async throws(StoreError) -> [SavedFilter]
    func create(_ filter: SavedFilter) async throws(StoreError)
    /// Throws `.notFound` when there is no such filter.
    func update(_ filter: SavedFilter) async throws(StoreError)
    func delete(id: String) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLSavedFilterRepository: SavedFilterRepository {
    let db: any SQLExecutor

    func list(visibleTo userId: String) async throws(StoreError) -> [SavedFilter] {
        try await db.query(
            "SELECT * FROM saved_filters WHERE owner_id = ? OR shared = 1 ORDER BY pinned DESC, name, id", .text(userId)
        ).map(Self.filter)
    }

    func find(id: String) async throws(StoreError) -> SavedFilter? {
        try await db.first("SELECT * FROM saved_filters WHERE id = ?", .text(id)).map(Self.filter)
    }

    func find(ids: [String]) async throws(StoreError) -> [SavedFilter] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try await db.query("SELECT * FROM saved_filters WHERE id IN (\(marks))", ids.map(DBValue.text)).map(Self.filter)
    }

    func create(_ filter: SavedFilter) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO saved_filters (id, name, expression, owner_id, shared, pinned, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(filter.id), .text(filter.name), .text(filter.expression), .text(filter.ownerId), .from(filter.shared),
            .from(filter.pinned), .from(filter.createdAt), .from(filter.updatedAt)
        )
    }

    func update(_ filter: SavedFilter) async throws(StoreError) {
        let rows = try await db.query(
            "UPDATE saved_filters SET name = ?, expression = ?, shared = ?, pinned = ?, updated_at = ? WHERE id = ? RETURNING id",
            .text(filter.name), .text(filter.expression), .from(filter.shared), .from(filter.pinned), .from(filter.updatedAt), .text(filter.id)
        )
        if rows.isEmpty { throw .notFound }
    }

    func delete(id: String) async throws(StoreError) {
        let rows = try await db.query("DELETE FROM saved_filters WHERE id = ? RETURNING id", .text(id))
        if rows.isEmpty { throw .notFound }
    }

    private static func filter(_ row: DBRow) throws(StoreError) -> SavedFilter {
        SavedFilter(
            id: try row.text("id"), name: try row.text("name"), expression: try row.text("expression"), ownerId: try row.text("owner_id"),
            shared: try row.bool("shared"), pinned: try row.bool("pinned"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
        )
    }
}
