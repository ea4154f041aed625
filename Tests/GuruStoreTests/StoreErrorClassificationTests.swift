import Foundation
import Testing
@testable import GuruStore

/// Driver errors become `StoreError`s by SQLite's result code and PostgreSQL's SQLSTATE, never by their text.
@Suite("Store errors by code")
struct StoreErrorClassificationTests {
    /// Runs `sql` and returns the error it raised; nil when it succeeded.
    private func failure(_ store: Store, _ sql: String, _ binds: DBValue...) async -> StoreError? {
        do {
            try await store.database.query(sql, binds)
            return nil
        } catch {
            return error
        }
    }

    private func isConflict(_ error: StoreError?) -> Bool {
        if case .conflict = error { return true }
        return false
    }

    private func isDatabase(_ error: StoreError?) -> Bool {
        if case .database = error { return true }
        return false
    }

    @Test(arguments: Backend.available)
    func uniqueAndPrimaryKeyViolationsAreConflicts(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.database.query(
                "CREATE TABLE classify_probe (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, parent TEXT REFERENCES classify_probe (id))", []
            )
            try await store.database.query("INSERT INTO classify_probe (id, name) VALUES ('a', 'alpha')", [])
            #expect(isConflict(await failure(store, "INSERT INTO classify_probe (id, name) VALUES ('a', 'beta')")))
            #expect(isConflict(await failure(store, "INSERT INTO classify_probe (id, name) VALUES ('b', 'alpha')")))
            // Other constraints are failures of the database, not "taken".
            #expect(isDatabase(await failure(store, "INSERT INTO classify_probe (id, name) VALUES ('c', NULL)")))
            #expect(isDatabase(await failure(store, "INSERT INTO classify_probe (id, name, parent) VALUES ('d', 'delta', 'nobody')")))
        }
    }

    /// The old classifier matched "unique" and "duplicate key" in the message; this error's message holds both
    /// words (the missing table's name), yet it is no conflict.
    @Test(arguments: Backend.available)
    func anErrorThatOnlyMentionsUniqueIsNoConflict(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let error = await failure(store, "SELECT * FROM unique_duplicate_key_23505")
            #expect(isDatabase(error), "\(String(describing: error))")
            let syntax = await failure(store, "SELEKT 'UNIQUE constraint failed: duplicate key 23505'")
            #expect(isDatabase(syntax), "\(String(describing: syntax))")
        }
    }

    @Test(arguments: Backend.available)
    func aTakenUsernameIsAConflictThroughTheRepository(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.users.create(makeUser("carol"))
            var second = makeUser("carol")
            second.displayName = "Another Carol"
            do {
                try await store.users.create(second)
                Issue.record("a second carol was created")
            } catch let error as StoreError {
                #expect(isConflict(error), "\(error)")
            }
        }
    }
}
