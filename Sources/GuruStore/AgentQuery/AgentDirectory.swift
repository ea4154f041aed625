import Foundation

/// The machine list's queries: pages, counts per group, and the live fact they filter on that only the relay
/// knows (which connection is an agent's current one). Filters are compiled by `AgentFilterCompiler`, so no caller's text becomes SQL.
public protocol AgentDirectory: Sendable {
    func page(_ query: AgentQuery, context: FilterContext) async throws(StoreError) -> AgentPage
    /// One machine, when it matches `scope` (nil when it does not exist or lies outside it).
    func find(id: String, scope: AgentFilter, context: FilterContext) async throws(StoreError) -> AgentListing?
    /// How many machines in `scope` hold each value of `target`, most common value first; at most `limit` values.
    func counts(by target: FilterTarget, scope: AgentFilter, context: FilterContext, limit: Int) async throws(StoreError) -> [GroupCount]
    /// How many machines in `scope` match each of `filters`, in one pass.
    func countEach(_ filters: [AgentFilter], scope: AgentFilter, context: FilterContext) async throws(StoreError) -> [Int]
    /// Every agent version reported, once each.
    func agentVersions() async throws(StoreError) -> [String]
    /// Records that the agent's connection `connectionId` is its current one.
    func connected(id: String, connectionId: Int64) async throws(StoreError)
    /// Forgets the connection, unless a newer one replaced it meanwhile.
    func disconnected(id: String, connectionId: Int64) async throws(StoreError)
    /// At start: no agent is connected to a node that just started.
    func forgetConnections() async throws(StoreError)
    /// Connected agents that report an internal address starting with `prefix` (a first octet, "192."), except `excluding`.
    func connectedAgents(withAddressPrefix prefix: String, excluding: String) async throws(StoreError) -> [(id: String, inventoryJSON: String?)]
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLAgentDirectory: AgentDirectory {
    let db: any SQLExecutor

    private func compiler(_ context: FilterContext) -> AgentFilterCompiler {
        AgentFilterCompiler(dialect: db.dialect, context: context)
    }

    func page(_ query: AgentQuery, context: FilterContext) async throws(StoreError) -> AgentPage {
        let compiler = compiler(context)
        var parts = query.filters.map(compiler.compile)
        if let search = query.search.flatMap(compiler.search) { parts.append(search) }
        let condition = parts.isEmpty ? SQLFragment("(1 = 1)") : SQLFragment(parts.map(\.sql).joined(separator: " AND "), parts.flatMap(\.binds))
        let total = try await db.query("SELECT COUNT(*) AS total FROM agents WHERE \(condition.sql)", condition.binds).first?.int("total") ?? 0
        let rows = try await db.query(
            "SELECT * FROM agents WHERE \(condition.sql) ORDER BY \(orderBy(query.sort)) LIMIT ? OFFSET ?",
            condition.binds + [.int(Int64(query.limit)), .int(Int64(query.offset))]
        )
        return AgentPage(total: Int(total), items: try rows.map(Self.listing))
    }

    func find(id: String, scope: AgentFilter, context: FilterContext) async throws(StoreError) -> AgentListing? {
        let condition = compiler(context).compile(scope)
        return try await db.query("SELECT * FROM agents WHERE id = ? AND \(condition.sql)", [.text(id)] + condition.binds).first.map(Self.listing)
    }

    func counts(by target: FilterTarget, scope: AgentFilter, context: FilterContext, limit: Int) async throws(StoreError) -> [GroupCount] {
        let compiler = compiler(context)
        let condition = compiler.compile(scope)
        let (expression, binds) = compiler.expression(target)
        // Values that differ only in case are one group, as `=` matches them alike.
        let key = db.dialect == .sqlite ? "\(expression) COLLATE NOCASE" : "lower(\(expression))"
        let rows = try await db.query(
            "SELECT MIN(\(expression)) AS value, COUNT(*) AS n FROM agents WHERE \(condition.sql) GROUP BY \(key)",
            binds + condition.binds + binds
        )
        var empty = 0
        var counts: [GroupCount] = []
        for row in rows {
            let count = Int(try row.int("n"))
            if let value = row.optionalText("value"), !value.isEmpty { counts.append(GroupCount(value: value, count: count)) } else { empty += count }
        }
        counts.sort { ($0.count, $1.value ?? "") > ($1.count, $0.value ?? "") }
        if empty > 0 { counts.append(GroupCount(value: nil, count: empty)) }
        return Array(counts.prefix(limit))
    }

    func countEach(_ filters: [AgentFilter], scope: AgentFilter, context: FilterContext) async throws(StoreError) -> [Int] {
        guard !filters.isEmpty else { return [] }
        let compiler = compiler(context)
        let parts = filters.map(compiler.compile)
        let condition = compiler.compile(scope)
        let columns = parts.enumerated().map { "COALESCE(SUM(CASE WHEN \($0.element.sql) THEN 1 ELSE 0 END), 0) AS c\($0.offset)" }
        let row = try await db.query(
            "SELECT \(columns.joined(separator: ", ")) FROM agents WHERE \(condition.sql)", parts.flatMap(\.binds) + condition.binds
        ).first
        return try parts.indices.map { (index) throws(StoreError) in Int(try row?.int("c\(index)") ?? 0) }
    }

    func agentVersions() async throws(StoreError) -> [String] {
        try await db.query("SELECT DISTINCT agent_version FROM agents WHERE agent_version IS NOT NULL").compactMap { $0.optionalText("agent_version") }
    }

    func connected(id: String, connectionId: Int64) async throws(StoreError) {
        try await db.query("UPDATE agents SET connection_id = ? WHERE id = ?", .int(connectionId), .text(id))
    }

    func disconnected(id: String, connectionId: Int64) async throws(StoreError) {
        try await db.query("UPDATE agents SET connection_id = NULL WHERE id = ? AND connection_id = ?", .text(id), .int(connectionId))
    }

    func forgetConnections() async throws(StoreError) {
        try await db.query("UPDATE agents SET connection_id = NULL WHERE connection_id IS NOT NULL")
    }

    func connectedAgents(withAddressPrefix prefix: String, excluding: String) async throws(StoreError) -> [(id: String, inventoryJSON: String?)] {
        let pattern = "% \(AgentFilterCompiler.escapeLike(prefix))%"
        return try await db.query(
            "SELECT id, inventory_json FROM agents WHERE connection_id IS NOT NULL AND id <> ? AND (' ' || internal_ips) LIKE ? ESCAPE '\\'",
            .text(excluding), .text(pattern)
        ).map { (row) throws(StoreError) in (id: try row.text("id"), inventoryJSON: row.optionalText("inventory_json")) }
    }

    /// ORDER BY for a sort: empty values last either way, then the name and the id to break ties.
    private func orderBy(_ sort: AgentSort) -> String {
        let direction = sort.descending ? "DESC" : "ASC"
        let byName = db.dialect == .sqlite ? "\(AgentColumns.displayName) COLLATE NOCASE" : "lower(\(AgentColumns.displayName))"
        if sort.key == "name" { return "\(byName) \(direction), id \(direction)" }
        if sort.key == "online" { return "(connection_id IS NULL) \(direction), \(byName), id" }  // asc: online first
        let column = AgentColumns.sortable[sort.key] ?? AgentColumns.displayName
        let keyed = !AgentColumns.textSorts.contains(sort.key) ? column : db.dialect == .sqlite ? "\(column) COLLATE NOCASE" : "lower(\(column))"
        return "(\(column) IS NULL) ASC, \(keyed) \(direction), \(byName), id"
    }

    static func listing(_ row: DBRow) throws(StoreError) -> AgentListing {
        AgentListing(record: try SQLAgentRepository.agent(row), online: row.optionalInt("connection_id") != nil)
    }
}
