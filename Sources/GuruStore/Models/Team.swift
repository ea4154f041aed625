import Foundation

/// A group of technicians; "team sessions" are the sessions of one's team mates.
public struct Team: Sendable, Hashable {
    public var id: String
    public var name: String
    public var createdAt: Date
    public var memberCount: Int

    public init(id: String, name: String, createdAt: Date, memberCount: Int = 0) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.memberCount = memberCount
    }
}
