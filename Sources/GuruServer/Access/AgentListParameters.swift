import Foundation
import GuruStore
import Hummingbird

/// The query string of `GET /api/agents` (docs/api.md): filter, q, status, group, smart, sort, order, offset, limit.
struct AgentListParameters: Sendable {
    var filter: AgentFilter?
    /// `status=online|offline`: the list's status menu.
    var status: AgentFilter?
    var search: String?
    var group: AgentFilter?
    var smart: SmartGroup?
    var sort = AgentSort()
    var offset = 0
    var limit = AgentQuery.defaultLimit

    /// Reads and checks the parameters; a filter that does not parse is a 400 that says where.
    init(_ query: [String: String], now: Date) throws {
        if let text = query["filter"] {
            do {
                filter = try AgentFilterParser.parse(text, now: now)
            } catch {
                throw APIError(.badRequest, "filter_syntax", "Filter \(error.description).")
            }
        }
        if let text = query["q"], !text.allSatisfy(\.isWhitespace) {
            guard text.count <= 200 else { throw APIError.badRequest("The search is longer than 200 characters.") }
            search = text
        }
        switch query["status"] ?? "all" {
        case "all", "": break
        case "online": status = .flag(.online)
        case "offline": status = .not(.flag(.online))
        default: throw APIError.badRequest("status must be all, online or offline.")
        }
        if let text = query["group"], !text.isEmpty { group = try Self.group(text) }
        if let name = query["smart"], !name.isEmpty {
            guard let smart = SmartGroup(rawValue: name) else {
                throw APIError.badRequest("Unknown smart group '\(name.prefix(40))'; one of \(SmartGroup.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.smart = smart
        }
        let descending: Bool
        switch query["order"]?.lowercased() ?? "asc" {
        case "asc": descending = false
        case "desc": descending = true
        default: throw APIError.badRequest("order must be asc or desc.")
        }
        if let key = query["sort"], !key.isEmpty {
            guard let sort = AgentSort(key: key, descending: descending) else {
                throw APIError.badRequest("Cannot sort by '\(key.prefix(40))'; one of \(AgentSort.keys.joined(separator: ", ")).")
            }
            self.sort = sort
        } else if descending {
            sort = AgentSort(key: "name", descending: true) ?? AgentSort()
        }
        offset = try Self.number(query["offset"], name: "offset", default: 0, range: 0...10_000_000)
        limit = try Self.number(query["limit"], name: "limit", default: AgentQuery.defaultLimit, range: 1...AgentQuery.maxLimit)
    }

    /// `field:value`, or `Property.Name:value`: the machines whose field holds that value ("" = empty).
    static func group(_ text: String) throws -> AgentFilter {
        guard let colon = text.firstIndex(of: ":") else { throw APIError.badRequest("group is field:value, such as company:Glaztech.") }
        let target = try groupTarget(String(text[..<colon]))
        let value = String(text[text.index(after: colon)...])
        return value.isEmpty ? .missing(target) : .compare(target, .equal, .text(value))
    }

    /// A field the sidebar may group by, or a custom property (`Property.Asset`).
    static func groupTarget(_ name: String) throws -> FilterTarget {
        let lowered = name.lowercased()
        if lowered.hasPrefix("property.") {
            let property = String(name.dropFirst("property.".count))
            guard FilterTarget.isValidPropertyName(property) else { throw APIError.badRequest("That is not a property name.") }
            return .property(property)
        }
        guard let field = FilterField.groupable.first(where: { $0.rawValue.lowercased() == lowered }) else {
            throw APIError.badRequest("Cannot group by '\(name.prefix(40))'; one of \(FilterField.groupable.map(\.rawValue).joined(separator: ", ")) or Property.<name>.")
        }
        return .field(field)
    }

    private static func number(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }
}
