import Foundation

/// A value bound to or read from a SQL statement; the common ground of SQLite and PostgreSQL.
public enum DBValue: Sendable, Hashable {
    case null
    case int(Int64)
    case text(String)

    static func from(_ value: String?) -> DBValue { value.map(DBValue.text) ?? .null }
    static func from(_ value: Int64?) -> DBValue { value.map(DBValue.int) ?? .null }
    static func from(_ value: Bool) -> DBValue { .int(value ? 1 : 0) }
    static func from(_ value: Date?) -> DBValue { value.map { .int($0.millisecondsSince1970) } ?? .null }
}

/// One result row, addressed by column name.
public struct DBRow: Sendable {
    let values: [String: DBValue]

    public init(_ values: [String: DBValue]) { self.values = values }

    func text(_ column: String) throws(StoreError) -> String {
        guard case .text(let value)? = values[column] else { throw .corrupt(column: column) }
        return value
    }

    func optionalText(_ column: String) -> String? {
        if case .text(let value)? = values[column] { return value }
        return nil
    }

    func int(_ column: String) throws(StoreError) -> Int64 {
        switch values[column] {
        case .int(let value)?: return value
        case .text(let value)?: if let number = Int64(value) { return number }
        default: break
        }
        throw .corrupt(column: column)
    }

    func optionalInt(_ column: String) -> Int64? {
        switch values[column] {
        case .int(let value)?: return value
        case .text(let value)?: return Int64(value)
        default: return nil
        }
    }

    func bool(_ column: String) throws(StoreError) -> Bool { try int(column) != 0 }

    func date(_ column: String) throws(StoreError) -> Date { Date(milliseconds: try int(column)) }

    func optionalDate(_ column: String) -> Date? { optionalInt(column).map(Date.init(milliseconds:)) }
}

extension Date {
    /// Milliseconds since 1970, the unit every timestamp column uses.
    public var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// A date from milliseconds since 1970.
    public init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
