import Foundation

/// One page of the machine list: what to match, how to sort, which rows.
public struct AgentQuery: Sendable {
    /// Every filter must hold (the role's scope, the typed filter, the chosen group and smart group).
    public var filters: [AgentFilter]
    /// The search box's text; every word must appear in a searchable field.
    public var search: String?
    public var sort: AgentSort
    public var offset: Int
    public var limit: Int

    public static let maxLimit = 500
    public static let defaultLimit = 100

    public init(filters: [AgentFilter] = [], search: String? = nil, sort: AgentSort = AgentSort(), offset: Int = 0, limit: Int = defaultLimit) {
        self.filters = filters
        self.search = search
        self.sort = sort
        self.offset = max(0, offset)
        self.limit = min(max(1, limit), Self.maxLimit)
    }
}

/// A sort column (one of `AgentSort.keys`) and direction; ties fall back to the name, then the id.
public struct AgentSort: Sendable, Equatable {
    public let key: String
    public let descending: Bool

    /// The names `key` may take.
    public static var keys: [String] { AgentColumns.sortable.keys.sorted() }

    /// nil when `key` is not a sort column.
    public init?(key: String, descending: Bool) {
        let lowered = key.lowercased()
        guard AgentColumns.sortable[lowered] != nil else { return nil }
        self.key = lowered
        self.descending = descending
    }

    /// By name, A to Z.
    public init() {
        key = "name"
        descending = false
    }
}

/// A page of machines and how many match in all.
public struct AgentPage: Sendable {
    public let total: Int
    public let items: [AgentListing]
}

/// A machine as the list shows it: its record (inventory and metadata included), and whether its agent is
/// connected now (the `connection_id` the list filters and sorts on).
public struct AgentListing: Sendable, Hashable {
    public let record: AgentRecord
    public let online: Bool
}

/// How many machines share one value of a field (nil: the field is empty).
public struct GroupCount: Sendable, Hashable {
    public let value: String?
    public let count: Int
}
