import Foundation
import GuruStore
import Logging
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// Times GuruStore against the sql-kit port on SQLite and, when `GURU_TEST_POSTGRES_URL` is set
/// (scripts/with-postgres.sh sets it), PostgreSQL. Usage: StoreBench [users] [rounds]. Each round gives every
/// layer a fresh, migrated database; the layers alternate, and the report keeps each figure's best round,
/// the one the shared machine disturbed least.
@main
struct StoreBench {
    static let logger = Logger(label: "store-bench")

    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
        let count = arguments.first ?? 500
        let rounds = arguments.dropFirst().first ?? 5
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let postgresURL = ProcessInfo.processInfo.environment["GURU_TEST_POSTGRES_URL"]
        var best: [String: [(name: String, wall: Double, cpu: Double)]] = [:]
        func keep(_ label: String, _ timings: Timings) {
            guard let previous = best[label] else { best[label] = timings.perOperation; return }
            best[label] = zip(previous, timings.perOperation).map { ($0.name, min($0.wall, $1.wall), min($0.cpu, $1.cpu)) }
        }
        for round in 0..<rounds {
            let path = folder.appendingPathComponent("round\(round)").path
            keep("sqlite GuruStore", try await sqliteGuruStore(path: path + "-guru.sqlite", count: count))
            keep("sqlite sql-kit", try await sqliteSQLKit(path: path + "-kit.sqlite", count: count))
            if let postgresURL {
                keep("postgres GuruStore", try await postgresGuruStore(adminURL: postgresURL, count: count))
                keep("postgres sql-kit", try await postgresSQLKit(adminURL: postgresURL, count: count))
            }
        }
        print("users: \(count), rounds: \(rounds); best round, µs per operation, wall / process CPU")
        let labels = ["sqlite GuruStore", "sqlite sql-kit", "postgres GuruStore", "postgres sql-kit"].filter { best[$0] != nil }
        let names = best[labels[0]]!.map(\.name)
        print("| operation | " + labels.joined(separator: " | ") + " |")
        print("|---|" + String(repeating: "---:|", count: labels.count))
        for (index, name) in names.enumerated() {
            let cells = labels.map { label in
                let entry = best[label]![index]
                return String(format: "%.0f / %.0f", entry.wall, entry.cpu)
            }
            print("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
    }

    /// Opens a store on a fresh SQLite file, migrates it and closes it again.
    static func migratedSQLite(_ path: String) async throws {
        let store = try await Store.open(.sqlite(path: path), logger: logger)
        try await store.prepare()
        await store.close()
    }

    static func sqliteGuruStore(path: String, count: Int) async throws -> Timings {
        try await migratedSQLite(path)
        let store = try await Store.open(.sqlite(path: path), logger: logger)
        let timings = try await runWorkload(GuruStoreOperations(users: store.users), count: count)
        await store.close()
        return timings
    }

    static func sqliteSQLKit(path: String, count: Int) async throws -> Timings {
        try await migratedSQLite(path)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"] {
            _ = try await connection.query(pragma, [])
        }
        let timings = try await runWorkload(SQLKitUserRepository(db: connection.sql()), count: count)
        try await connection.close()
        return timings
    }

    /// A fresh database on the server, migrated by GuruStore, and its URL.
    static func migratedPostgres(adminURL: String) async throws -> URLComponents {
        let name = "bench_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try GuruStore.PostgresDatabase(url: adminURL, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await admin.run() }
            try await admin.query("CREATE DATABASE \(name)", [])
            group.cancelAll()
        }
        guard var components = URLComponents(string: adminURL) else { throw BenchError.wrongAnswer("url") }
        components.path = "/\(name)"
        try await withPostgresStore(components) { store in try await store.prepare() }
        return components
    }

    /// Runs `body` with a GuruStore on PostgreSQL whose pool is running.
    static func withPostgresStore<T: Sendable>(_ url: URLComponents, _ body: @Sendable (Store) async throws -> T) async throws -> T {
        let store = try await Store.open(.postgres(url: url.string ?? ""), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in store.services { group.addTask { try await service.run() } }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    static func postgresGuruStore(adminURL: String, count: Int) async throws -> Timings {
        let url = try await migratedPostgres(adminURL: adminURL)
        return try await withPostgresStore(url) { store in
            try await runWorkload(GuruStoreOperations(users: store.users), count: count)
        }
    }

    static func postgresSQLKit(adminURL: String, count: Int) async throws -> Timings {
        let url = try await migratedPostgres(adminURL: adminURL)
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password, database: String(url.path.dropFirst()), tls: .disable
        )
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
        )
        let timings = try await runWorkload(SQLKitUserRepository(db: connection.sql()), count: count)
        try await connection.close()
        return timings
    }
}
