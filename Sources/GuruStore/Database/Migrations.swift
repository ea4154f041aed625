/// The schema, as an ordered list of versions. A version is applied once, inside a transaction.
struct Migration: Sendable {
    let version: Int64
    let statements: @Sendable (SQLDialect) -> [String]
}

/// Runs the versions in order; see `all`.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1) { dialect in
            let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                "CREATE TABLE server_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE roles (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, builtin BIGINT NOT NULL,
                  permissions BIGINT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
                """
                CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
                  password_hash TEXT NOT NULL, role_id TEXT NOT NULL REFERENCES roles(id),
                  team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,
                  totp_secret TEXT, totp_pending_secret TEXT, totp_last_step BIGINT NOT NULL DEFAULT 0,
                  disabled BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, last_login_at BIGINT)
                """,
                """
                CREATE TABLE recovery_codes (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  code_hash TEXT NOT NULL, used_at BIGINT, PRIMARY KEY (user_id, code_hash))
                """,
                """
                CREATE TABLE api_keys (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  name TEXT NOT NULL, secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT,
                  last_used_at BIGINT, revoked_at BIGINT)
                """,
                """
                CREATE TABLE web_sessions (token_hash TEXT PRIMARY KEY,
                  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, created_at BIGINT NOT NULL,
                  last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, source_address TEXT, user_agent TEXT)
                """,
                "CREATE INDEX web_sessions_user ON web_sessions (user_id)",
                """
                CREATE TABLE audit_events (id \(serial), at BIGINT NOT NULL, actor_id TEXT, actor_name TEXT,
                  source_address TEXT, action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL, detail TEXT)
                """,
                "CREATE INDEX audit_events_at ON audit_events (at)",
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ] + appendOnlyAudit(dialect)
        },
        Migration(version: 2) { _ in
            [
                """
                CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, credential_hash TEXT NOT NULL,
                  created_at BIGINT NOT NULL, created_by TEXT, last_seen_at BIGINT, agent_version TEXT)
                """,
            ]
        },
        // Support sessions. `active` is 1 while the session holds its code and NULL after, so the partial
        // unique index lets a code be reissued once, and only once, its session is over.
        Migration(version: 3) { _ in
            [
                """
                CREATE TABLE support_sessions (id TEXT PRIMARY KEY, code TEXT NOT NULL, status TEXT NOT NULL, active BIGINT,
                  owner_id TEXT, created_by TEXT NOT NULL, visibility TEXT NOT NULL, machine_name TEXT,
                  created_at BIGINT NOT NULL, expires_at BIGINT, connected_at BIGINT, ended_at BIGINT, end_reason TEXT)
                """,
                "CREATE UNIQUE INDEX support_sessions_active_code ON support_sessions (code) WHERE active = 1",
                "CREATE INDEX support_sessions_code ON support_sessions (code, created_at)",
            ]
        },
        // Agent identity keys (docs/protocol.md §1.1), bound on first use, and one row per support download:
        // each download carries its own secret (only its hash is kept) and its ticket works once.
        Migration(version: 4) { _ in
            [
                "ALTER TABLE support_sessions ADD COLUMN agent_key TEXT",
                "ALTER TABLE agents ADD COLUMN identity_key TEXT",
                """
                CREATE TABLE support_downloads (ticket_hash TEXT PRIMARY KEY,
                  session_id TEXT NOT NULL REFERENCES support_sessions(id) ON DELETE CASCADE,
                  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, redeemed_at BIGINT, secret_hash TEXT UNIQUE)
                """,
                "CREATE INDEX support_downloads_session ON support_downloads (session_id)",
            ]
        },
        // Diagnostics reports (docs/api.md): the JSON a viewer decrypted and uploaded, kept as text. No foreign
        // key to agents or support sessions: a report outlives a deleted machine, like its audit rows.
        Migration(version: 5) { _ in
            [
                """
                CREATE TABLE diagnostic_reports (id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, session_kind TEXT NOT NULL,
                  session_id TEXT NOT NULL, collected_by TEXT NOT NULL, collected_at BIGINT NOT NULL, host_name TEXT NOT NULL,
                  report_json TEXT NOT NULL, size_bytes BIGINT NOT NULL)
                """,
                "CREATE INDEX diagnostic_reports_agent ON diagnostic_reports (agent_id, collected_at)",
                "CREATE INDEX diagnostic_reports_session ON diagnostic_reports (session_kind, session_id, collected_at)",
            ]
        },
        // Unattended inventory and metadata (docs/protocol.md §2.6): the searchable fields as columns, the last
        // report whole in inventory_json. Lists as space-separated text, times in milliseconds like every column.
        Migration(version: 6) { _ in
            [
                "hostname", "os_name", "os_version", "os_build", "manufacturer", "model", "serial", "service_tag", "cpu",
                "logged_on_user", "internal_ips", "macs", "external_ip", "display_name_custom", "company", "site",
                "department", "device_type", "tag", "properties_json", "inventory_json", "attention_note",
            ].map { "ALTER TABLE agents ADD COLUMN \($0) TEXT" } + [
                "os_installed_at", "ram_bytes", "boot_at", "idle_seconds", "inventory_at", "first_seen_at", "last_accessed_at",
            ].map { "ALTER TABLE agents ADD COLUMN \($0) BIGINT" } + [
                "ALTER TABLE agents ADD COLUMN attention BIGINT NOT NULL DEFAULT 0",
                "CREATE INDEX agents_company_site ON agents (company, site)",
                "CREATE INDEX agents_last_seen ON agents (last_seen_at)",
                "CREATE INDEX agents_hostname ON agents (hostname)",
                "CREATE INDEX agents_serial ON agents (serial)",
            ]
        },
        // Enrolment tokens (the Build tab's installers): only the SHA-256 of a token is kept; `uses` is counted up
        // by one guarded UPDATE per enrolment, so a token's last use cannot be spent twice.
        Migration(version: 7) { _ in
            [
                """
                CREATE TABLE enrolment_tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
                  created_by TEXT, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, max_uses BIGINT,
                  uses BIGINT NOT NULL DEFAULT 0, revoked_at BIGINT, metadata_json TEXT NOT NULL, platform TEXT NOT NULL)
                """,
            ]
        },
        // The Access tab (docs/filters.md): saved filters, role scopes, the agent's current connection (the list
        // filters and sorts on it), and the indexes that keep
        // filtering, grouping and sorting fast at 50,000 machines. Text indexes ignore case, as filters do.
        Migration(version: 8) { dialect in
            let caseless: (String) -> String = { dialect == .sqlite ? "\($0) COLLATE NOCASE" : "lower(\($0))" }
            let textIndexes = ["company", "site", "department", "device_type", "tag", "os_name", "agent_version"].map {
                "CREATE INDEX agents_\($0) ON agents (\(caseless($0)))"
            }
            return [
                """
                CREATE TABLE saved_filters (id TEXT PRIMARY KEY, name TEXT NOT NULL, expression TEXT NOT NULL,
                  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, shared BIGINT NOT NULL DEFAULT 0,
                  pinned BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX saved_filters_owner ON saved_filters (owner_id)",
                "ALTER TABLE roles ADD COLUMN scope_json TEXT",
                "ALTER TABLE agents ADD COLUMN connection_id BIGINT",
                // The expression of AgentColumns.displayName, frozen here as this version created it.
                "CREATE INDEX agents_display_name ON agents (\(caseless("COALESCE(NULLIF(display_name_custom, ''), NULLIF(hostname, ''), name)")), id)",
                "CREATE INDEX agents_connection ON agents (connection_id)",
            ] + textIndexes + searchText(dialect)
        },
        // A trigram index over search_text, so a search of 50,000 machines reads the index and not every row
        // (AgentFilterCompiler.search). SQLite: an FTS5 trigram table whose content is agents.search_text, keyed
        // by search_key (a stable integer of the row's own: a VACUUM may renumber the rowids of a table with a
        // text primary key) and kept in step by triggers. PostgreSQL: pg_trgm's GIN index, which LIKE '%…%' uses
        // as it is; where the server has no pg_trgm, search stays a scan of search_text.
        Migration(version: 9) { dialect in searchIndex(dialect) },
    ]

    private static func searchIndex(_ dialect: SQLDialect) -> [String] {
        switch dialect {
        case .sqlite:
            let text = searchTextExpression("")
            return [
                "ALTER TABLE agents ADD COLUMN search_key INTEGER",
                "UPDATE agents SET search_key = rowid",
                "CREATE UNIQUE INDEX agents_search_key ON agents (search_key)",
                "DROP TRIGGER agents_search_insert",
                """
                CREATE TRIGGER agents_search_insert AFTER INSERT ON agents BEGIN
                  UPDATE agents SET search_key = (SELECT COALESCE(MAX(search_key), 0) + 1 FROM agents), search_text = \(text)
                  WHERE id = NEW.id;
                END
                """,
                "CREATE VIRTUAL TABLE agents_search USING fts5(search_text, content='agents', content_rowid='search_key', tokenize='trigram')",
                "INSERT INTO agents_search (agents_search) VALUES ('rebuild')",
                """
                CREATE TRIGGER agents_search_index AFTER UPDATE OF search_text ON agents BEGIN
                  INSERT INTO agents_search (agents_search, rowid, search_text) SELECT 'delete', OLD.search_key, OLD.search_text
                  WHERE OLD.search_key IS NOT NULL AND OLD.search_text IS NOT NULL;
                  INSERT INTO agents_search (rowid, search_text) VALUES (NEW.search_key, NEW.search_text);
                END
                """,
                """
                CREATE TRIGGER agents_search_forget AFTER DELETE ON agents WHEN OLD.search_key IS NOT NULL BEGIN
                  INSERT INTO agents_search (agents_search, rowid, search_text) VALUES ('delete', OLD.search_key, OLD.search_text);
                END
                """,
            ]
        case .postgres:
            return [
                """
                DO $$ BEGIN
                  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                    CREATE INDEX agents_search_trigrams ON agents USING gin (search_text gin_trgm_ops);
                  END IF;
                END $$
                """,
            ]
        }
    }

    /// The search box's haystack, kept in `agents.search_text` by the database itself whoever writes the row:
    /// the searchable fields (docs/filters.md) in lower case, one space apart. One short column to scan
    /// instead of twenty expressions per row is what keeps a search of 50,000 machines fast.
    private static func searchText(_ dialect: SQLDialect) -> [String] {
        let columns = searchedColumns
        let expression = searchTextExpression
        switch dialect {
        case .sqlite:
            let update = "UPDATE agents SET search_text = \(expression("")) WHERE id = NEW.id;"
            return [
                "ALTER TABLE agents ADD COLUMN search_text TEXT",
                "CREATE TRIGGER agents_search_insert AFTER INSERT ON agents BEGIN \(update) END",
                "CREATE TRIGGER agents_search_update AFTER UPDATE OF \(columns.joined(separator: ", ")) ON agents BEGIN \(update) END",
                "UPDATE agents SET search_text = \(expression(""))",
            ]
        case .postgres:
            return [
                "ALTER TABLE agents ADD COLUMN search_text TEXT",
                """
                CREATE FUNCTION agents_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.search_text := \(expression("NEW.")); RETURN NEW; END $$
                """,
                "CREATE TRIGGER agents_search BEFORE INSERT OR UPDATE ON agents FOR EACH ROW EXECUTE FUNCTION agents_search_text()",
                "UPDATE agents SET search_text = \(expression(""))",
            ]
        }
    }

    /// The columns search_text holds, in order.
    private static let searchedColumns = [
        "name", "display_name_custom", "hostname", "id", "internal_ips", "external_ip", "macs", "logged_on_user", "os_name",
        "os_version", "os_build", "serial", "service_tag", "company", "site", "department", "tag", "agent_version",
        "manufacturer", "model", "properties_json",
    ]

    /// search_text's value from the row's columns (`prefix`: "NEW." in a PostgreSQL trigger).
    private static func searchTextExpression(_ prefix: String) -> String {
        "lower(" + searchedColumns.map { "COALESCE(\(prefix)\($0), '')" }.joined(separator: " || ' ' || ") + ")"
    }

    /// Audit rows can be added, never changed or removed, even by a stray SQL statement.
    private static func appendOnlyAudit(_ dialect: SQLDialect) -> [String] {
        switch dialect {
        case .sqlite:
            return [
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
            ]
        case .postgres:
            return [
                """
                CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_events
                  FOR EACH ROW EXECUTE FUNCTION audit_append_only()
                """,
            ]
        }
    }

    /// Applies every version the database has not seen; safe to run from several nodes at once.
    static func run(on database: any SQLExecutor) async throws(StoreError) {
        try await database.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"
        )
        for migration in all {
            try await database.transaction { (tx) async throws(StoreError) in
                if tx.dialect == .postgres {
                    try await tx.query("SELECT pg_advisory_xact_lock(7310412)")
                }
                let applied = try await tx.first("SELECT version FROM schema_migrations WHERE version = ?", .int(migration.version))
                guard applied == nil else { return }
                for statement in migration.statements(tx.dialect) {
                    try await tx.query(statement)
                }
                try await tx.query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    .int(migration.version), .from(.now)
                )
            }
        }
    }
}
