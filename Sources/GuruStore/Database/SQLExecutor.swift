/// The SQL flavour an executor speaks; the only place the two databases differ for the repositories.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// Runs SQL with `?` placeholders. Implemented once per driver; the repositories are written once on top.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns its rows (none for statements that return nothing).
    @discardableResult
    func query(_ sql: String, _ binds: [DBValue]) async throws(StoreError) -> [DBRow]
    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws(StoreError) -> T) async throws(StoreError) -> T
}

extension SQLExecutor {
    @discardableResult
    func query(_ sql: String, _ binds: DBValue...) async throws(StoreError) -> [DBRow] {
        try await query(sql, binds)
    }

    func first(_ sql: String, _ binds: DBValue...) async throws(StoreError) -> DBRow? {
        try await query(sql, binds).first
    }
}
