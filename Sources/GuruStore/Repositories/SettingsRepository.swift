import Foundation

/// Server-wide settings.
public protocol SettingsRepository: Sendable {
    func load() async throws(StoreError) -> ServerSettings
    func save(_ settings: ServerSettings) async throws(StoreError)
    /// Another settings document (JSON text) kept under its own key, such as "smtp"; nil when never saved.
    func document(_ key: String) async throws(StoreError) -> String?
    func saveDocument(_ key: String, _ json: String) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL: one JSON document under one key.
struct SQLSettingsRepository: SettingsRepository {
    let db: any SQLExecutor

    func load() async throws(StoreError) -> ServerSettings {
        guard let row = try await db.first("SELECT value FROM settings WHERE key = 'server'") else { return ServerSettings() }
        do {
            return try JSONDecoder().decode(ServerSettings.self, from: Data(try row.text("value").utf8))
        } catch {
            throw .corrupt(column: "settings.server")
        }
    }

    func save(_ settings: ServerSettings) async throws(StoreError) {
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        } catch {
            throw .corrupt(column: "settings.server")
        }
        try await db.transaction { (tx) async throws(StoreError) in
            try await tx.query("DELETE FROM settings WHERE key = 'server'")
            try await tx.query("INSERT INTO settings (key, value) VALUES ('server', ?)", .text(json))
        }
    }

    func document(_ key: String) async throws(StoreError) -> String? {
        try await db.first("SELECT value FROM settings WHERE key = ?", .text("doc:\(key)")).map { row throws(StoreError) in try row.text("value") }
    }

    func saveDocument(_ key: String, _ json: String) async throws(StoreError) {
        try await db.transaction { (tx) async throws(StoreError) in
            try await tx.query("DELETE FROM settings WHERE key = ?", .text("doc:\(key)"))
            try await tx.query("INSERT INTO settings (key, value) VALUES (?, ?)", .text("doc:\(key)"), .text(json))
        }
    }
}
