import Foundation

/// API keys, stored hashed.
public protocol ApiKeyRepository: Sendable {
    func create(_ key: ApiKey) async throws(StoreError)
    func find(id: String) async throws(StoreError) -> ApiKey?
    func list(userId: String) async throws(StoreError) -> [ApiKey]
    /// Revokes one of the user's keys; `.notFound` if the user has no such active key.
    func revoke(id: String, userId: String, at: Date) async throws(StoreError)
    func touch(id: String, at: Date) async throws(StoreError)
    /// Revokes every active key of the user; returns how many.
    func revokeAll(userId: String, at: Date) async throws(StoreError) -> Int
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLApiKeyRepository: ApiKeyRepository {
    let db: any SQLExecutor

    func create(_ key: ApiKey) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO api_keys (id, user_id, name, secret_hash, created_at, expires_at, last_used_at, revoked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(key.id), .text(key.userId), .text(key.name), .text(key.secretHash), .from(key.createdAt),
            .from(key.expiresAt), .from(key.lastUsedAt), .from(key.revokedAt)
        )
    }

    func find(id: String) async throws(StoreError) -> ApiKey? {
        try await db.first("SELECT * FROM api_keys WHERE id = ?", .text(id)).map(Self.key)
    }

    func list(userId: String) async throws(StoreError) -> [ApiKey] {
        try await db.query("SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at DESC", .text(userId)).map(Self.key)
    }

    func revoke(id: String, userId: String, at: Date) async throws(StoreError) {
        let rows = try await db.query(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL RETURNING id",
            .from(at), .text(id), .text(userId)
        )
        if rows.isEmpty { throw .notFound }
    }

    func touch(id: String, at: Date) async throws(StoreError) {
        try await db.query("UPDATE api_keys SET last_used_at = ? WHERE id = ?", .from(at), .text(id))
    }

    func revokeAll(userId: String, at: Date) async throws(StoreError) -> Int {
        try await db.query(
            "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING id", .from(at), .text(userId)
        ).count
    }

    private static func key(_ row: DBRow) throws(StoreError) -> ApiKey {
        ApiKey(
            id: try row.text("id"), userId: try row.text("user_id"), name: try row.text("name"),
            secretHash: try row.text("secret_hash"), createdAt: try row.date("created_at"),
            expiresAt: row.optionalDate("expires_at"), lastUsedAt: row.optionalDate("last_used_at"),
            revokedAt: row.optionalDate("revoked_at")
        )
    }
}
