import Foundation
import Logging
import ServiceLifecycle

/// Every repository, over one database. Built by `Store.open`, which also migrates.
public struct Store: Sendable {
    public let users: any UserRepository
    public let roles: any RoleRepository
    public let teams: any TeamRepository
    public let apiKeys: any ApiKeyRepository
    public let webSessions: any WebSessionRepository
    public let audit: any AuditRepository
    public let settings: any SettingsRepository
    public let agents: any AgentRepository
    public let support: any SupportSessionRepository
    /// The agents' identity keys, bound on first use (docs/protocol.md §1.1).
    public let identities: any AgentIdentityRepository
    /// The one-time agent's download tickets and per-download secrets (docs/support.md §4).
    public let supportDownloads: any SupportDownloadRepository
    /// Diagnostics reports collected from agents.
    public let diagnostics: any DiagnosticReportRepository
    /// The Build tab's enrolment tokens.
    public let enrolmentTokens: any EnrolmentTokenRepository
    /// The machine list's pages, counts and live facts (docs/filters.md).
    public let directory: any AgentDirectory
    /// Saved machine filters.
    public let savedFilters: any SavedFilterRepository
    /// The database underneath, for health checks.
    public let database: any SQLExecutor
    /// Long-running parts the service group must run (the PostgreSQL pool); empty for SQLite.
    public let services: [any Service]
    private let closeDatabase: @Sendable () async -> Void

    init(database: any SQLExecutor, services: [any Service], close: @escaping @Sendable () async -> Void = {}) {
        self.database = database
        self.services = services
        self.closeDatabase = close
        users = SQLUserRepository(db: database)
        roles = SQLRoleRepository(db: database)
        teams = SQLTeamRepository(db: database)
        apiKeys = SQLApiKeyRepository(db: database)
        webSessions = SQLWebSessionRepository(db: database)
        audit = SQLAuditRepository(db: database)
        settings = SQLSettingsRepository(db: database)
        agents = SQLAgentRepository(db: database)
        support = SQLSupportSessionRepository(db: database)
        identities = SQLAgentIdentityRepository(db: database)
        supportDownloads = SQLSupportDownloadRepository(db: database)
        diagnostics = SQLDiagnosticReportRepository(db: database)
        enrolmentTokens = SQLEnrolmentTokenRepository(db: database)
        directory = SQLAgentDirectory(db: database)
        savedFilters = SQLSavedFilterRepository(db: database)
    }

    /// Where the data lives.
    public enum Location: Sendable, Equatable {
        /// A SQLite file.
        case sqlite(path: String)
        /// A throwaway in-memory SQLite database, for tests.
        case memory
        /// A PostgreSQL URL.
        case postgres(url: String)
    }

    /// Opens the store. For PostgreSQL, `prepare()` may only be called once `services` are running.
    public static func open(_ location: Location, logger: Logger) async throws(StoreError) -> Store {
        switch location {
        case .sqlite(let path):
            let database = try await SQLiteDatabase.open(path: path, logger: logger)
            return Store(database: database, services: [], close: database.close)
        case .memory:
            let database = try await SQLiteDatabase.open(path: nil, logger: logger)
            return Store(database: database, services: [], close: database.close)
        case .postgres(let url):
            let database = try PostgresDatabase(url: url, logger: logger)
            return Store(database: database, services: [database])
        }
    }

    /// Runs migrations and seeds the built-in roles. Idempotent.
    public func prepare() async throws(StoreError) {
        try await Migrations.run(on: database)
        try await roles.ensureBuiltins()
    }

    /// Answers when the database does.
    public func ping() async throws(StoreError) {
        try await database.query("SELECT 1 AS ok", [])
    }

    /// Releases the database; the store must not be used afterwards.
    public func close() async {
        await closeDatabase()
    }
}
