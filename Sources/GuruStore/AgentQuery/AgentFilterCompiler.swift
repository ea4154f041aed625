import Foundation

/// A piece of SQL and the values bound to its `?` placeholders, in order.
public struct SQLFragment: Sendable, Equatable {
    public var sql: String
    public var binds: [DBValue]

    public init(_ sql: String, _ binds: [DBValue] = []) {
        self.sql = sql
        self.binds = binds
    }
}

/// What a filter needs to know beyond the table: the moment it runs, and who the relay says has a viewer.
public struct FilterContext: Sendable {
    public var now: Date
    /// Agents with a technician's viewer connected now (`HostConnected`); the relay knows, the database does not.
    public var hostConnected: Set<String>

    public init(now: Date = .now, hostConnected: Set<String> = []) {
        self.now = now
        self.hostConnected = hostConnected
    }
}

/// Turns an `AgentFilter` into a WHERE clause for SQLite or PostgreSQL. Every value the user wrote is a
/// bound parameter; the SQL text comes only from `AgentColumns` and the fixed shapes below. Each predicate is
/// NULL-free (a missing value is the empty text, and is never less or greater than anything), so NOT and
/// <> mean what they say.
public struct AgentFilterCompiler: Sendable {
    public let dialect: SQLDialect
    public let context: FilterContext

    public init(dialect: SQLDialect, context: FilterContext) {
        self.dialect = dialect
        self.context = context
    }

    public func compile(_ filter: AgentFilter) -> SQLFragment {
        switch filter {
        case .and(let lhs, let rhs): return join(compile(lhs), "AND", compile(rhs))
        case .or(let lhs, let rhs): return join(compile(lhs), "OR", compile(rhs))
        case .not(let inner):
            let fragment = compile(inner)
            return SQLFragment("(NOT \(fragment.sql))", fragment.binds)
        case .constant(let value): return SQLFragment(value ? "(1 = 1)" : "(1 = 0)")
        case .flag(let flag): return compile(flag)
        case .missing(let target):
            let (expression, binds) = self.expression(target)
            if target.kind == .number || target.kind == .time { return SQLFragment("(\(expression) IS NULL)", binds) }
            return SQLFragment("(\(expression) IS NULL OR \(expression) = '')", binds + binds)
        case .compare(let target, let comparison, let literal): return compare(target, comparison, literal)
        case .like(let target, let pattern): return like(target, pattern)
        case .oneOf(let target, let values):
            let parts = values.map { compare(target, .equal, $0) }
            guard let first = parts.first else { return SQLFragment("(1 = 0)") }
            return parts.dropFirst().reduce(first) { join($0, "OR", $1) }
        }
    }

    /// The search box: every whitespace-separated term must appear somewhere in the searchable fields.
    public func search(_ text: String) -> SQLFragment? {
        let terms = text.split(whereSeparator: \.isWhitespace).prefix(8)
        guard !terms.isEmpty else { return nil }
        // search_text is kept lower-cased by the database (migration 8), so a plain LIKE of the lower-cased
        // word finds it on both databases.
        let fragments = terms.map { term in
            SQLFragment("(search_text LIKE ? ESCAPE '\\')", [.text("%\(Self.escapeLike(term.lowercased()))%")])
        }
        return fragments.dropFirst().reduce(fragments[0]) { join($0, "AND", $1) }
    }

    // MARK: - Predicates

    private func compile(_ flag: FilterFlag) -> SQLFragment {
        switch flag {
        case .online: return SQLFragment("(connection_id IS NOT NULL)")
        case .attention: return SQLFragment("(COALESCE(attention, 0) = 1)")
        case .hostConnected:
            guard !context.hostConnected.isEmpty else { return SQLFragment("(1 = 0)") }
            let ids = context.hostConnected.sorted()
            return SQLFragment("(id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", "))))", ids.map(DBValue.text))
        case .guestConnected:
            return SQLFragment(
                "(connection_id IS NOT NULL AND COALESCE(logged_on_user, '') <> '' AND idle_seconds IS NOT NULL AND idle_seconds < ?)",
                [.int(FilterFlag.guestIdleLimitSeconds)]
            )
        }
    }

    private func compare(_ target: FilterTarget, _ comparison: FilterOperator, _ literal: FilterLiteral) -> SQLFragment {
        if comparison == .notEqual {
            let equal = compare(target, .equal, literal)
            return SQLFragment("(NOT \(equal.sql))", equal.binds)
        }
        let (expression, expressionBinds) = self.expression(target)
        switch literal {
        case .text(let text):
            if text.isEmpty, comparison == .equal {
                return SQLFragment("(\(expression) IS NULL OR \(expression) = '')", expressionBinds + expressionBinds)
            }
            if target.kind == .list {
                // "a b c" holds b when " a b c " is LIKE "% b %".
                return SQLFragment("(\(expression) IS NOT NULL AND (' ' || \(expression) || ' ') \(likeOperator) ? ESCAPE '\\')",
                                   expressionBinds + expressionBinds + [.text("% \(Self.escapeLike(text)) %")])
            }
            let test = switch dialect {
            case .sqlite: "\(expression) \(comparison.rawValue) ? COLLATE NOCASE"
            case .postgres: "lower(\(expression)) \(comparison.rawValue) lower(?)"
            }
            return SQLFragment("(\(expression) IS NOT NULL AND \(test))", expressionBinds + expressionBinds + [.text(text)])
        case .number(let number):
            return SQLFragment("(\(expression) IS NOT NULL AND \(expression) \(comparison.rawValue) ?)", expressionBinds + expressionBinds + [.int(number)])
        case .time(let date):
            return SQLFragment("(\(expression) IS NOT NULL AND \(expression) \(comparison.rawValue) ?)",
                               expressionBinds + expressionBinds + [.int(AgentColumns.timeValue(date))])
        }
    }

    private func like(_ target: FilterTarget, _ pattern: String) -> SQLFragment {
        let (expression, expressionBinds) = self.expression(target)
        if target.kind == .list {
            return SQLFragment("(\(expression) IS NOT NULL AND (' ' || \(expression) || ' ') \(likeOperator) ? ESCAPE '\\')",
                               expressionBinds + expressionBinds + [.text("% \(pattern) %")])
        }
        return SQLFragment("(\(expression) IS NOT NULL AND \(expression) \(likeOperator) ? ESCAPE '\\')", expressionBinds + expressionBinds + [.text(pattern)])
    }

    /// The SQL of a target, and the values its placeholders take (a property's JSON path or key).
    func expression(_ target: FilterTarget) -> (String, [DBValue]) {
        switch target {
        case .field(let field): return (AgentColumns.column(field), [])
        case .property(let name):
            // The name is bound, never spliced; the parser refused quotes and backslashes in it, so the path
            // below names exactly one key.
            switch dialect {
            case .sqlite: return ("CAST(json_extract(properties_json, ?) AS TEXT)", [.text("$.\"\(name)\"")])
            case .postgres: return ("(CAST(properties_json AS jsonb) ->> CAST(? AS text))", [.text(name)])
            }
        }
    }

    private var likeOperator: String { dialect == .sqlite ? "LIKE" : "ILIKE" }

    private func join(_ lhs: SQLFragment, _ keyword: String, _ rhs: SQLFragment) -> SQLFragment {
        SQLFragment("(\(lhs.sql) \(keyword) \(rhs.sql))", lhs.binds + rhs.binds)
    }

    /// `text` with LIKE's wildcards and the escape character escaped, to match literally.
    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
