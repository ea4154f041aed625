import Foundation

/// A parsed, type-checked filter over machines (docs/filters.md). Built by `AgentFilterParser` or in code
/// (groups, smart groups, role scopes); turned into parameterised SQL by `AgentFilterCompiler`.
public indirect enum AgentFilter: Sendable, Equatable {
    case and(AgentFilter, AgentFilter)
    case or(AgentFilter, AgentFilter)
    case not(AgentFilter)
    /// `field op literal`; the literal's kind matches the field's (the parser checks).
    case compare(FilterTarget, FilterOperator, FilterLiteral)
    /// `field LIKE 'pattern'`: % any run, _ one character, \ escapes either.
    case like(FilterTarget, String)
    /// `field IN (a, b, …)`.
    case oneOf(FilterTarget, [FilterLiteral])
    /// A yes/no fact: Online, Attention, HostConnected, GuestConnected.
    case flag(FilterFlag)
    /// The field holds nothing (no value, or empty text).
    case missing(FilterTarget)
    /// Matches every machine (true) or none (false).
    case constant(Bool)

    /// Every filter in `filters`, or everything when there is none.
    public static func all(_ filters: [AgentFilter]) -> AgentFilter {
        guard var result = filters.first else { return .constant(true) }
        for filter in filters.dropFirst() { result = .and(result, filter) }
        return result
    }

    /// Any filter in `filters`, or nothing when there is none.
    public static func any(_ filters: [AgentFilter]) -> AgentFilter {
        guard var result = filters.first else { return .constant(false) }
        for filter in filters.dropFirst() { result = .or(result, filter) }
        return result
    }
}

/// What a comparison looks at: a named field, or a custom property by name.
public enum FilterTarget: Sendable, Equatable, Hashable {
    case field(FilterField)
    /// A custom property (`Property.Asset`); its value is compared as text.
    case property(String)

    var kind: FilterField.Kind {
        switch self {
        case .field(let field): field.kind
        case .property: .text
        }
    }

    /// The longest property name, and the characters it may not hold (it travels inside a JSON path).
    public static let maxPropertyName = 64
    public static func isValidPropertyName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= maxPropertyName
            && !name.contains { $0 == "\"" || $0 == "\\" || $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }
    }
}

/// = <> < > <= >=
public enum FilterOperator: String, Sendable, Equatable, CaseIterable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
}

/// A literal value, already of the compared field's kind.
public enum FilterLiteral: Sendable, Equatable, Hashable {
    case text(String)
    case number(Int64)
    case time(Date)
}

/// The yes/no facts a filter can name on their own (`Online`, `NOT Attention`).
public enum FilterFlag: String, Sendable, Equatable, CaseIterable {
    /// The agent is connected now.
    case online = "Online"
    /// Someone flagged the machine for follow-up.
    case attention = "Attention"
    /// A technician's viewer is connected now.
    case hostConnected = "HostConnected"
    /// A user is logged on and was active in the last 15 minutes, while the agent is online.
    case guestConnected = "GuestConnected"

    /// Idle longer than this, a logged-on user is not "at the machine".
    public static let guestIdleLimitSeconds: Int64 = 15 * 60
}
