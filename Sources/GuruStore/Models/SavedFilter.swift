import Foundation

/// A named filter expression (docs/filters.md) that its owner keeps, may share with the team, and may pin.
public struct SavedFilter: Sendable, Hashable {
    public var id: String
    public var name: String
    public var expression: String
    public var ownerId: String
    /// Everyone sees it in their sidebar, not only the owner.
    public var shared: Bool
    /// Listed first, among the sidebar's pinned filters.
    public var pinned: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, expression: String, ownerId: String, shared: Bool, pinned: Bool, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.expression = expression
        self.ownerId = ownerId
        self.shared = shared
        self.pinned = pinned
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
