import Foundation

/// Parses the filter language (docs/filters.md) into a typed `AgentFilter`, by recursive descent:
///
///     expression := or END
///     or         := and { OR and }
///     and        := unary { AND unary }
///     unary      := NOT unary | '(' or ')' | predicate
///     predicate  := flag [ (= | <>) (TRUE | FALSE) ]
///                 | target (op literal | [NOT] LIKE string | [NOT] IN '(' literal { , literal } ')')
///     target     := field | Property '.' (word | string)
///
/// Literals are checked against the field's kind here, so the compiler only sees well-typed trees.
/// Time macros are resolved against `now`.
public struct AgentFilterParser {
    /// How deep parentheses and NOTs may nest; deeper is refused rather than risking the stack.
    static let maxDepth = 64
    private let tokens: [FilterToken]
    private let now: Date
    private var position = 0
    private var depth = 0

    /// Parses `source`; an empty or blank filter is nil (no restriction).
    public static func parse(_ source: String, now: Date = .now) throws(FilterSyntaxError) -> AgentFilter? {
        guard !source.allSatisfy(\.isWhitespace) else { return nil }
        var parser = AgentFilterParser(tokens: try FilterLexer.tokens(source), now: now)
        let filter = try parser.orExpression()
        guard case .end = parser.current.kind else {
            throw parser.error("expected AND, OR or the end of the filter, found \(parser.current.quoted)")
        }
        return filter
    }

    private init(tokens: [FilterToken], now: Date) {
        self.tokens = tokens
        self.now = now
    }

    // MARK: - Grammar

    private mutating func orExpression() throws(FilterSyntaxError) -> AgentFilter {
        var result = try andExpression()
        while isKeyword("OR") {
            advance()
            result = .or(result, try andExpression())
        }
        return result
    }

    private mutating func andExpression() throws(FilterSyntaxError) -> AgentFilter {
        var result = try unary()
        while isKeyword("AND") {
            advance()
            result = .and(result, try unary())
        }
        return result
    }

    private mutating func unary() throws(FilterSyntaxError) -> AgentFilter {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("the filter nests deeper than \(Self.maxDepth) levels") }
        if isKeyword("NOT") {
            advance()
            return .not(try unary())
        }
        if case .openParen = current.kind {
            let open = current
            advance()
            let inner = try orExpression()
            guard case .closeParen = current.kind else {
                throw error("expected ')' to close the '(' at column \(open.column), found \(current.quoted)")
            }
            advance()
            return inner
        }
        return try predicate()
    }

    private mutating func predicate() throws(FilterSyntaxError) -> AgentFilter {
        guard case .word(let word) = current.kind, !Self.keywords.contains(word.uppercased()) else {
            if case .end = current.kind { throw error("expected a field name at the end of the filter") }
            throw error("expected a field name, found \(current.quoted)")
        }
        if let flag = FilterFlag.allCases.first(where: { $0.rawValue.lowercased() == word.lowercased() }) {
            advance()
            return try flagPredicate(flag)
        }
        let target = try self.target()
        let nameToken = tokens[position - 1]
        if isKeyword("NOT") {
            advance()
            guard isKeyword("LIKE") || isKeyword("IN") else { throw error("expected LIKE or IN after NOT, found \(current.quoted)") }
            return .not(try likeOrIn(target))
        }
        if isKeyword("LIKE") || isKeyword("IN") { return try likeOrIn(target) }
        guard case .comparison(let symbol) = current.kind, let comparison = FilterOperator(rawValue: symbol) else {
            if case .end = current.kind { throw error("expected a comparison (=, <>, <, >, LIKE, IN) after \(nameToken.quoted)") }
            throw error("expected a comparison (=, <>, <, >, LIKE, IN) after \(nameToken.quoted), found \(current.quoted)")
        }
        let operatorToken = current
        advance()
        if target.kind == .list, ![.equal, .notEqual].contains(comparison) {
            throw FilterSyntaxError(column: operatorToken.column, message: "\(describe(target)) holds several values: compare it with =, <>, LIKE or IN")
        }
        return .compare(target, comparison, try literal(for: target, after: "'\(symbol)'"))
    }

    private mutating func flagPredicate(_ flag: FilterFlag) throws(FilterSyntaxError) -> AgentFilter {
        guard case .comparison(let symbol) = current.kind else { return .flag(flag) }
        guard symbol == "=" || symbol == "<>" else {
            throw error("\(flag.rawValue) is true or false: compare it with = or <>")
        }
        advance()
        let value: Bool
        if isKeyword("TRUE") { value = true } else if isKeyword("FALSE") { value = false } else {
            throw error("expected TRUE or FALSE after '\(symbol)'")
        }
        advance()
        return value == (symbol == "=") ? .flag(flag) : .not(.flag(flag))
    }

    private mutating func target() throws(FilterSyntaxError) -> FilterTarget {
        guard case .word(let word) = current.kind else { throw error("expected a field name, found \(current.quoted)") }
        let nameToken = current
        advance()
        if ["property", "properties", "prop"].contains(word.lowercased()) {
            guard case .dot = current.kind else { throw error("expected '.' and a property name after \(nameToken.quoted)") }
            advance()
            let name: String
            switch current.kind {
            case .word(let text), .string(let text): name = text
            default: throw error("expected a property name after 'Property.', found \(current.quoted)")
            }
            guard FilterTarget.isValidPropertyName(name) else {
                throw error("a property name is 1 to \(FilterTarget.maxPropertyName) characters, without quotes, backslashes or line breaks")
            }
            advance()
            return .property(name)
        }
        guard let field = FilterField.named(word) else {
            throw FilterSyntaxError(column: nameToken.column, message: "unknown field '\(word)' (docs/filters.md lists the fields)")
        }
        return .field(field)
    }

    private mutating func likeOrIn(_ target: FilterTarget) throws(FilterSyntaxError) -> AgentFilter {
        if isKeyword("LIKE") {
            advance()
            guard [.text, .list].contains(target.kind) else { throw error("LIKE works on text fields, and \(describe(target)) is not one") }
            guard case .string(let pattern) = current.kind else { throw error("expected a quoted pattern after LIKE") }
            try Self.checkEscapes(pattern, column: current.column)
            advance()
            return .like(target, pattern)
        }
        advance() // IN
        guard case .openParen = current.kind else { throw error("expected '(' and a list of values after IN") }
        advance()
        var values: [FilterLiteral] = []
        while true {
            values.append(try literal(for: target, after: values.isEmpty ? "'('" : "','"))
            guard values.count <= 500 else { throw error("an IN list holds at most 500 values") }
            if case .comma = current.kind {
                advance()
                continue
            }
            guard case .closeParen = current.kind else { throw error("expected ',' or ')' in the IN list, found \(current.quoted)") }
            advance()
            return .oneOf(target, values)
        }
    }

    /// A literal of the target's kind; `after` names what it follows, for the error.
    private mutating func literal(for target: FilterTarget, after: String) throws(FilterSyntaxError) -> FilterLiteral {
        let token = current
        if case .end = token.kind { throw error("expected a value after \(after)") }
        switch target.kind {
        case .text, .list:
            guard case .string(let text) = token.kind else {
                throw error("expected a quoted text value such as 'Glaztech' after \(after), found \(token.quoted)")
            }
            advance()
            return .text(text)
        case .number:
            guard case .number(let digits) = token.kind else { throw error("expected a number after \(after), found \(token.quoted)") }
            advance()
            var multiplier: Double = 1
            if case .word(let unit) = current.kind, let factor = Self.sizeUnits[unit.uppercased()] {
                multiplier = factor
                advance()
            }
            guard let value = Double(digits), (value * multiplier).magnitude < 9e18,
                  multiplier != 1 || !digits.contains(".") else {
                throw FilterSyntaxError(column: token.column, message: "\(digits) is not a whole number in range")
            }
            return .number(Int64((value * multiplier).rounded()))
        case .time:
            switch token.kind {
            case .macro(let name):
                guard let date = Self.resolve(macro: name, now: now) else {
                    throw FilterSyntaxError(column: token.column, message: "unknown time macro $\(name) (try $NOW, $24HOURSAGO, $7DAYSAGO or $<n><UNIT>AGO)")
                }
                advance()
                return .time(date)
            case .string(let text):
                guard let date = Self.date(text) else {
                    throw FilterSyntaxError(column: token.column, message: "'\(text)' is not a date: write 'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM:SSZ' or a macro")
                }
                advance()
                return .time(date)
            default:
                throw error("expected a time such as $7DAYSAGO or '2026-01-31' after \(after), found \(token.quoted)")
            }
        }
    }

    // MARK: - Pieces

    static let keywords: Set<String> = ["AND", "OR", "NOT", "LIKE", "IN", "TRUE", "FALSE"]
    static let sizeUnits: [String: Double] = ["KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 1024, "MIB": 1_048_576, "GIB": 1_073_741_824, "TIB": 1_099_511_627_776]

    /// A LIKE pattern's backslash escapes only %, _ or itself, so SQLite and PostgreSQL read it alike.
    static func checkEscapes(_ pattern: String, column: Int) throws(FilterSyntaxError) {
        var characters = pattern.makeIterator()
        while let character = characters.next() {
            guard character == "\\" else { continue }
            guard let next = characters.next(), ["%", "_", "\\"].contains(next) else {
                throw FilterSyntaxError(column: column, message: "in a LIKE pattern, \\ must be followed by %, _ or \\")
            }
        }
    }

    /// $NOW, or $<n><UNIT>AGO with UNIT one of MINUTE(S), HOUR(S), DAY(S), WEEK(S), MONTH(S) (30 days), YEAR(S) (365 days).
    static func resolve(macro: String, now: Date) -> Date? {
        if macro == "NOW" { return now }
        guard macro.hasSuffix("AGO") else { return nil }
        let body = macro.dropLast(3)
        let digits = body.prefix { $0.isNumber }
        let unit = String(body.dropFirst(digits.count))
        guard let count = Int(digits.isEmpty ? "1" : digits), count <= 100_000 else { return nil }
        let seconds: Double
        switch unit {
        case "MINUTE", "MINUTES", "MIN", "MINS": seconds = 60
        case "HOUR", "HOURS": seconds = 3600
        case "DAY", "DAYS": seconds = 86400
        case "WEEK", "WEEKS": seconds = 7 * 86400
        case "MONTH", "MONTHS": seconds = 30 * 86400
        case "YEAR", "YEARS": seconds = 365 * 86400
        default: return nil
        }
        return now.addingTimeInterval(-Double(count) * seconds)
    }

    /// 'YYYY-MM-DD' (midnight UTC) or an ISO 8601 date and time.
    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        if parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
           let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar.date(from: DateComponents(year: year, month: month, day: day))
        }
        return ISO8601DateFormatter().date(from: text)
    }

    private func describe(_ target: FilterTarget) -> String {
        switch target {
        case .field(let field): field.rawValue
        case .property(let name): "Property.\(name)"
        }
    }

    private var current: FilterToken { tokens[position] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = current.kind { return word.uppercased() == keyword }
        return false
    }

    private func error(_ message: String) -> FilterSyntaxError {
        FilterSyntaxError(column: current.column, message: message)
    }
}
