import Foundation
import Logging
import SQLiteNIO

/// The embedded default: one SQLite file in WAL mode, its single connection shared in turn.
public final class SQLiteDatabase: SQLExecutor {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) the database at `path`, or an in-memory one when `path` is nil.
    public static func open(path: String?, logger: Logger) async throws(StoreError) -> SQLiteDatabase {
        let connection: SQLiteConnection
        if let path {
            do {
                try PrivateFiles.prepareDatabaseFiles(path)
            } catch {
                throw .database(error.description)
            }
        }
        do {
            connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory, logger: logger)
        } catch {
            throw .database(String(describing: error))
        }
        let database = SQLiteDatabase(connection: connection)
        if path != nil {
            try await database.query("PRAGMA journal_mode=WAL")
            try await database.query("PRAGMA synchronous=NORMAL")
        }
        try await database.query("PRAGMA foreign_keys=ON")
        try await database.query("PRAGMA busy_timeout=5000")
        return database
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [DBValue]) async throws(StoreError) -> [DBRow] {
        try await lock.withLock { () async throws(StoreError) -> [DBRow] in
            try await SQLiteConnectionExecutor(connection: connection).query(sql, binds)
        }
    }

    public func transaction<T: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await lock.withLock { () async throws(StoreError) -> T in
            let inner = SQLiteConnectionExecutor(connection: connection)
            try await inner.query("BEGIN IMMEDIATE", [])
            do throws(StoreError) {
                let value = try await body(inner)
                try await inner.query("COMMIT", [])
                return value
            } catch {
                _ = try? await inner.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Turns a driver error into a `StoreError` by SQLite's extended result code (the connection opens with
    /// `SQLITE_OPEN_EXRESCODE`), never by its message: a uniqueness or primary-key violation is `.conflict`.
    static func classify(_ error: any Error) -> StoreError {
        guard let error = error as? SQLiteError else { return .database(String(reflecting: error)) }
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed, .constraintUniqueRowIDFailed:
            return .conflict(error.message)
        default:
            return .database("\(error.reason): \(error.message)")
        }
    }

    /// Closes the connection; call once, after the last query.
    public func close() async {
        await lock.lock()
        try? await connection.close()
    }
}

/// Runs statements on the connection directly; used while the lock is already held.
private struct SQLiteConnectionExecutor: SQLExecutor {
    let connection: SQLiteConnection
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func query(_ sql: String, _ binds: [DBValue]) async throws(StoreError) -> [DBRow] {
        let data: [SQLiteData] = binds.map { value in
            switch value {
            case .null: .null
            case .int(let number): .integer(Int(number))
            case .text(let string): .text(string)
            }
        }
        do {
            let rows = try await connection.query(sql, data)
            return rows.map { row in
                var values: [String: DBValue] = [:]
                for column in row.columns {
                    switch column.data {
                    case .integer(let number): values[column.name] = .int(Int64(number))
                    case .float(let number): values[column.name] = .int(Int64(number))
                    case .text(let string): values[column.name] = .text(string)
                    case .blob(let buffer): values[column.name] = .text(String(buffer: buffer))
                    case .null: values[column.name] = .null
                    }
                }
                return DBRow(values)
            }
        } catch {
            throw SQLiteDatabase.classify(error)
        }
    }

    func transaction<T: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await body(self)
    }
}
