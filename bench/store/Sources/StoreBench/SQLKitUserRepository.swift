import Foundation
import GuruStore
import SQLKit

/// GuruStore's `UserRepository` core (create, find by id and name, list, update, delete, count), written with
/// sql-kit's builders and Codable rows: the shape every repository would take after a migration.
struct SQLKitUserRepository: Sendable {
    let db: any SQLDatabase

    /// A `users` row as sql-kit encodes and decodes it.
    struct Row: Codable, Sendable {
        var id: String
        var username: String
        var display_name: String
        var password_hash: String
        var role_id: String
        var team_id: String?
        var totp_secret: String?
        var totp_pending_secret: String?
        var totp_last_step: Int64
        var disabled: Int64
        var created_at: Int64
        var last_login_at: Int64?

        init(_ user: User) {
            id = user.id; username = user.username; display_name = user.displayName
            password_hash = user.passwordHash; role_id = user.roleId; team_id = user.teamId
            totp_secret = user.totpSecret; totp_pending_secret = user.totpPendingSecret
            totp_last_step = user.totpLastStep; disabled = user.disabled ? 1 : 0
            created_at = Int64(user.createdAt.timeIntervalSince1970 * 1000)
            last_login_at = user.lastLoginAt.map { Int64($0.timeIntervalSince1970 * 1000) }
        }

        var user: User {
            User(id: id, username: username, displayName: display_name, passwordHash: password_hash, roleId: role_id,
                 teamId: team_id, totpSecret: totp_secret, totpPendingSecret: totp_pending_secret,
                 totpLastStep: totp_last_step, disabled: disabled != 0,
                 createdAt: Date(timeIntervalSince1970: Double(created_at) / 1000),
                 lastLoginAt: last_login_at.map { Date(timeIntervalSince1970: Double($0) / 1000) })
        }
    }

    func create(_ user: User) async throws {
        try await db.insert(into: "users").model(Row(user), nilEncodingStrategy: .asNil).run()
    }

    func find(id: String) async throws -> User? {
        try await db.select().column("*").from("users").where("id", .equal, id).first(decoding: Row.self)?.user
    }

    func find(username: String) async throws -> User? {
        try await db.select().column("*").from("users").where("username", .equal, username).first(decoding: Row.self)?.user
    }

    func list() async throws -> [User] {
        try await db.select().column("*").from("users").orderBy("display_name").orderBy("username")
            .all(decoding: Row.self).map(\.user)
    }

    func update(_ user: User) async throws {
        let rows = try await db.update("users").set(model: Row(user)).where("id", .equal, user.id).returning("id").all()
        if rows.isEmpty { throw StoreError.notFound }
    }

    func delete(id: String) async throws {
        let rows = try await db.delete(from: "users").where("id", .equal, id).returning("id").all()
        if rows.isEmpty { throw StoreError.notFound }
    }

    func countUsers(withRole roleId: String) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
            .where("role_id", .equal, roleId).where("disabled", .equal, 0)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
