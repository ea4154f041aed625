import Foundation

/// A signed-in browser. The cookie holds a random token; the store holds only its SHA-256.
public struct WebSession: Sendable, Hashable {
    public var tokenHash: String
    public var userId: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    public var sourceAddress: String?
    public var userAgent: String?

    public init(
        tokenHash: String, userId: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date,
        sourceAddress: String?, userAgent: String?
    ) {
        self.tokenHash = tokenHash
        self.userId = userId
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.sourceAddress = sourceAddress
        self.userAgent = userAgent
    }
}
