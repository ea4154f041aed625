import Foundation

/// An attended, one-time support session and the 6-digit code that starts it (docs/support.md).
public struct SupportSession: Sendable, Hashable {
    /// Where a session is in its life; see docs/support.md §1.
    public enum Status: String, Sendable, CaseIterable, Codable {
        case pending, waitingConsent, connected, ended, cancelled, expired, declined

        /// While active, the session holds its code: no other active session may share it.
        public var isActive: Bool { self == .pending || self == .waitingConsent || self == .connected }

        /// The statuses that hold a code, for SQL `IN (…)` lists.
        public static let active: [Status] = [.pending, .waitingConsent, .connected]
    }

    /// 32 lower-case hex digits: the 16-byte id the one-time agent sends as `agentId`.
    public var id: String
    public var code: String
    public var status: Status
    /// The technician it belongs to; nil for a first-come code (a support request).
    public var ownerId: String?
    public var createdBy: String
    public var visibility: ServerSettings.Visibility
    public var machineName: String?
    public var createdAt: Date
    public var expiresAt: Date?
    public var connectedAt: Date?
    public var endedAt: Date?
    public var endReason: String?

    public init(
        id: String, code: String, status: Status = .pending, ownerId: String?, createdBy: String,
        visibility: ServerSettings.Visibility, machineName: String? = nil, createdAt: Date, expiresAt: Date? = nil,
        connectedAt: Date? = nil, endedAt: Date? = nil, endReason: String? = nil
    ) {
        self.id = id
        self.code = code
        self.status = status
        self.ownerId = ownerId
        self.createdBy = createdBy
        self.visibility = visibility
        self.machineName = machineName
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.connectedAt = connectedAt
        self.endedAt = endedAt
        self.endReason = endReason
    }
}
