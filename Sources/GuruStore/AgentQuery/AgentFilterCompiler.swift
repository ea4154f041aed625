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
        // word finds it on both databases; PostgreSQL answers it from its trigram index (migration 9).
        let like = { (term: Substring) in
            SQLFragment("(search_text LIKE ? ESCAPE '\\')", [.text("%\(Self.escapeLike(term.lowercased()))%")])
        }
        var parts: [SQLFragment]
        if dialect == .sqlite {
            // SQLite's trigram table finds every word of three characters or more in one lookup: a phrase of
            // trigrams matches exactly where LIKE '%word%' would. Shorter words stay a LIKE.
            let indexed = terms.filter { $0.unicodeScalars.count >= Self.trigram }
            parts = terms.filter { $0.unicodeScalars.count < Self.trigram }.map(like)
            if !indexed.isEmpty {
                // One MATCH of every phrase (FTS5 ANDs them): one lookup, however many words.
                let phrases = indexed.map { Self.phrase($0.lowercased()) }
                parts.insert(SQLFragment(Self.trigramLookup, [.text(phrases.joined(separator: " "))]), at: 0)
            }
        } else {
            parts = terms.map(like)
        }
        return parts.dropFirst().reduce(parts[0]) { join($0, "AND", $1) }
    }

    /// The trigram index's unit: a word this long or longer can be looked up in it.
    static let trigram = 3

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
                return narrowed(target, by: comparison == .equal ? text : nil, SQLFragment(
                    "(\(expression) IS NOT NULL AND (' ' || \(expression) || ' ') \(likeOperator) ? ESCAPE '\\')",
                    expressionBinds + expressionBinds + [.text("% \(Self.escapeLike(text)) %")]))
            }
            let test = switch dialect {
            case .sqlite: "\(expression) \(comparison.rawValue) ? COLLATE NOCASE"
            case .postgres: "lower(\(expression)) \(comparison.rawValue) lower(?)"
            }
            return narrowed(target, by: comparison == .equal ? text : nil,
                            SQLFragment("(\(expression) IS NOT NULL AND \(test))", expressionBinds + expressionBinds + [.text(text)]))
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
            return narrowed(target, by: Self.longestLiteral(pattern), SQLFragment(
                "(\(expression) IS NOT NULL AND (' ' || \(expression) || ' ') \(likeOperator) ? ESCAPE '\\')",
                expressionBinds + expressionBinds + [.text("% \(pattern) %")]))
        }
        return narrowed(target, by: Self.longestLiteral(pattern), SQLFragment(
            "(\(expression) IS NOT NULL AND \(expression) \(likeOperator) ? ESCAPE '\\')", expressionBinds + expressionBinds + [.text(pattern)]))
    }

    // MARK: - The trigram index as a first cut

    /// `predicate`, first narrowed to the rows whose search_text holds `word`, for the targets no index of
    /// their own serves (a custom property, a list of addresses): the trigram index finds those rows, and the
    /// predicate is then tested on them alone instead of on every row. Only where it cannot change the answer:
    /// `predicate` must imply the word is in search_text, which holds for a word of plain characters that the
    /// matched value contains (search_text is the lower-cased columns and properties JSON, which writes such
    /// characters as they are). Anything else is the predicate alone.
    private func narrowed(_ target: FilterTarget, by word: String?, _ predicate: SQLFragment) -> SQLFragment {
        let unindexed = if case .property = target { true } else { target.kind == .list }
        guard unindexed, let word, word.unicodeScalars.count >= Self.trigram,
              word.unicodeScalars.allSatisfy({ Self.plainCharacters.contains($0) }) else { return predicate }
        return join(containsWord(word.lowercased()), "AND", predicate)
    }

    /// Rows whose search_text holds `word`, from the trigram index (migration 9).
    private func containsWord(_ word: String) -> SQLFragment {
        switch dialect {
        case .sqlite:
            return SQLFragment(Self.trigramLookup, [.text(Self.phrase(word))])
        case .postgres:
            return SQLFragment("(search_text LIKE ? ESCAPE '\\')", [.text("%\(Self.escapeLike(word))%")])
        }
    }

    /// The rows of search_text that match one bound FTS5 query.
    private static let trigramLookup = "(search_key IN (SELECT rowid FROM agents_search WHERE agents_search MATCH ?))"

    /// `word` as one FTS5 phrase: in double quotes, a quote in it doubled, so nothing in it is query syntax.
    private static func phrase(_ word: String) -> String {
        "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Characters that every writer of search_text's columns keeps as they are (no JSON escape, no case beyond ASCII).
    private static let plainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:@#,+".unicodeScalars)

    /// The longest run of literal characters in a LIKE pattern (our escape character is the backslash).
    static func longestLiteral(_ pattern: String) -> String? {
        var longest = "", run = "", escaped = false
        for character in pattern {
            if escaped {
                run.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "%" || character == "_" {
                if run.count > longest.count { longest = run }
                run = ""
            } else {
                run.append(character)
            }
        }
        if run.count > longest.count { longest = run }
        return longest.isEmpty ? nil : longest
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
