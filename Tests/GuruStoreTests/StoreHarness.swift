import Foundation
import Logging
import Testing
@testable import GuruStore

/// The databases the shared suite runs on. PostgreSQL joins when `GURU_TEST_POSTGRES_URL` is set
/// (`make test` starts a real server on a loopback port and sets it).
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var available: [Backend] {
        ProcessInfo.processInfo.environment["GURU_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

/// Opens a fresh, migrated store on the backend, runs `body`, and tears it down.
func withStore<T: Sendable>(_ backend: Backend, _ body: @Sendable (Store) async throws -> T) async throws -> T {
    let logger = Logger(label: "test.store")
    switch backend {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("test.sqlite").path), logger: logger)
        do {
            try await store.prepare()
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    case .postgres:
        let url = try #require(ProcessInfo.processInfo.environment["GURU_TEST_POSTGRES_URL"])
        let name = "gc_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await withPostgres(url: url) { admin in _ = try await admin.query("CREATE DATABASE \(name)", []) }
        var components = try #require(URLComponents(string: url))
        components.path = "/\(name)"
        let databaseURL = try #require(components.string)
        return try await withPostgres(url: databaseURL) { database in
            let store = try await Store.open(.postgres(url: databaseURL), logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                for service in store.services {
                    group.addTask { try await service.run() }
                }
                defer { group.cancelAll() }
                try await store.prepare()
                return try await body(store)
            }
        }
    }
}

/// Runs `body` with a PostgreSQL pool that is running.
func withPostgres<T: Sendable>(url: String, _ body: @Sendable (PostgresDatabase) async throws -> T) async throws -> T {
    let database = try PostgresDatabase(url: url, logger: Logger(label: "test.pg"))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await database.run() }
        defer { group.cancelAll() }
        return try await body(database)
    }
}

func makeUser(_ username: String, role: String = "technician", team: String? = nil) -> User {
    User(
        id: UUID().uuidString, username: username, displayName: username.capitalized,
        passwordHash: "$2b$04$notarealhashbutlongenoughtolooklikeoneXXXXXXXXXXXXXX", roleId: role, teamId: team,
        createdAt: Date(milliseconds: 1_700_000_000_000)
    )
}
