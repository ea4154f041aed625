import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// PostgreSQL for when one node is not enough: a connection pool that runs as a service.
public final class PostgresDatabase: SQLExecutor, Service {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let logger: Logger

    /// Creates the pool for a `postgres://user:password@host:port/database?sslmode=…` URL; nothing connects until `run()`.
    public init(url: String, logger: Logger) throws(StoreError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = components.host, !host.isEmpty
        else { throw .invalidURL("expected postgres://user:password@host:port/database") }
        let database = components.path.split(separator: "/").first.map(String.init)
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: throw .invalidURL("sslmode must be disable, prefer or require")
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = 20
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// Runs the pool until the service group shuts down.
    public func run() async throws {
        await client.run()
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [DBValue]) async throws(StoreError) -> [DBRow] {
        try await Self.run(sql, binds) { try await client.query($0, logger: logger) }
    }

    public func transaction<T: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresConnectionExecutor(connection: connection, logger: logger))
            }
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresTransactionError {
            // The body's own error (a row not found, a conflict) is the caller's answer, rolled back or not.
            if let storeError = error.closureError as? StoreError { throw storeError }
            throw Self.classify(error)
        } catch {
            throw Self.classify(error)
        }
    }

    static func run(
        _ sql: String, _ binds: [DBValue],
        _ perform: (PostgresQuery) async throws -> PostgresRowSequence
    ) async throws(StoreError) -> [DBRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .int(let number): bindings.append(number)
            case .text(let string): bindings.append(string)
            }
        }
        do {
            let rows = try await perform(PostgresQuery(unsafeSQL: numberPlaceholders(sql), binds: bindings))
            var result: [DBRow] = []
            for try await row in rows {
                var values: [String: DBValue] = [:]
                for cell in row {
                    values[cell.columnName] = try decode(cell)
                }
                result.append(DBRow(values))
            }
            return result
        } catch {
            throw classify(error)
        }
    }

    private static func decode(_ cell: PostgresCell) throws -> DBValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8: return .int(try cell.decode(Int64.self))
        case .int4: return .int(Int64(try cell.decode(Int32.self)))
        case .int2: return .int(Int64(try cell.decode(Int16.self)))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    /// Turns a driver error into a `StoreError` by its SQLSTATE, never by its message:
    /// `23505` (unique_violation) is `.conflict`.
    static func classify(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? PSQLError else { return .database(String(reflecting: error)) }
        guard let state = error.serverInfo?[.sqlState] else { return .database("\(error.code)") }
        let message = error.serverInfo?[.message] ?? "database error"
        return state == uniqueViolation ? .conflict(message) : .database("\(state): \(message)")
    }

    /// PostgreSQL's SQLSTATE for a broken UNIQUE or PRIMARY KEY constraint.
    static let uniqueViolation = "23505"

    /// Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`. Our SQL never puts `?` inside literals.
    static func numberPlaceholders(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.count + 16)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                output += "$\(index)"
            } else {
                output.append(character)
            }
        }
        return output
    }
}

/// A single pooled connection inside a transaction.
private struct PostgresConnectionExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func query(_ sql: String, _ binds: [DBValue]) async throws(StoreError) -> [DBRow] {
        try await PostgresDatabase.run(sql, binds) { try await connection.query($0, logger: logger) }
    }

    func transaction<T: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await body(self)
    }
}
