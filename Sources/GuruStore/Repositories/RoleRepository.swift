import Foundation

/// Roles: the three built-ins and any custom ones.
public protocol RoleRepository: Sendable {
    /// Creates the built-in roles, or brings their permissions up to date.
    func ensureBuiltins() async throws(StoreError)
    func list() async throws(StoreError) -> [Role]
    func find(id: String) async throws(StoreError) -> Role?
    func create(_ role: Role) async throws(StoreError)
    func update(_ role: Role) async throws(StoreError)
    func delete(id: String) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLRoleRepository: RoleRepository {
    let db: any SQLExecutor

    func ensureBuiltins() async throws(StoreError) {
        for builtin in Role.builtins {
            if try await db.first("SELECT id FROM roles WHERE id = ?", .text(builtin.id)) == nil {
                try await db.query(
                    "INSERT INTO roles (id, name, builtin, permissions, created_at) VALUES (?, ?, 1, ?, ?)",
                    .text(builtin.id), .text(builtin.name), .int(builtin.permissions.rawValue), .from(.now)
                )
            } else {
                try await db.query(
                    "UPDATE roles SET name = ?, builtin = 1, permissions = ?, scope_json = NULL WHERE id = ?",
                    .text(builtin.name), .int(builtin.permissions.rawValue), .text(builtin.id)
                )
            }
        }
    }

    func list() async throws(StoreError) -> [Role] {
        let roles = try await db.query("SELECT * FROM roles ORDER BY created_at, name").map(Self.role)
        let builtinOrder = Role.builtins.map(\.id)
        let builtins = builtinOrder.compactMap { id in roles.first { $0.id == id } }
        return builtins + roles.filter { !$0.builtin }
    }

    func find(id: String) async throws(StoreError) -> Role? {
        try await db.first("SELECT * FROM roles WHERE id = ?", .text(id)).map(Self.role)
    }

    func create(_ role: Role) async throws(StoreError) {
        try await db.query(
            "INSERT INTO roles (id, name, builtin, permissions, created_at, scope_json) VALUES (?, ?, 0, ?, ?, ?)",
            .text(role.id), .text(role.name), .int(role.permissions.rawValue), .from(role.createdAt), .from(role.scope.json)
        )
    }

    func update(_ role: Role) async throws(StoreError) {
        let rows = try await db.query(
            "UPDATE roles SET name = ?, permissions = ?, scope_json = ? WHERE id = ? AND builtin = 0 RETURNING id",
            .text(role.name), .int(role.permissions.rawValue), .from(role.scope.json), .text(role.id)
        )
        if rows.isEmpty { throw .notFound }
    }

    func delete(id: String) async throws(StoreError) {
        if try await db.first("SELECT id FROM users WHERE role_id = ?", .text(id)) != nil {
            throw .conflict("the role is still assigned to users")
        }
        let rows = try await db.query("DELETE FROM roles WHERE id = ? AND builtin = 0 RETURNING id", .text(id))
        if rows.isEmpty { throw .notFound }
    }

    private static func role(_ row: DBRow) throws(StoreError) -> Role {
        Role(
            id: try row.text("id"), name: try row.text("name"), builtin: try row.bool("builtin"),
            permissions: Permission(rawValue: try row.int("permissions")), createdAt: try row.date("created_at"),
            scope: AgentScope(json: row.optionalText("scope_json"))
        )
    }
}
