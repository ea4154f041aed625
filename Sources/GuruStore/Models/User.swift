import Foundation

/// A technician account. Secrets are stored hashed (password) or sealed (TOTP), never in clear.
public struct User: Sendable, Hashable {
    public var id: String
    public var username: String
    public var displayName: String
    public var passwordHash: String
    public var roleId: String
    public var teamId: String?
    /// The sealed TOTP secret once two-factor is on.
    public var totpSecret: String?
    /// The sealed secret of an enrolment that has not been confirmed yet.
    public var totpPendingSecret: String?
    /// The last TOTP time step accepted, so a code cannot be replayed.
    public var totpLastStep: Int64
    public var disabled: Bool
    public var createdAt: Date
    public var lastLoginAt: Date?

    public var totpEnabled: Bool { totpSecret != nil }

    public init(
        id: String, username: String, displayName: String, passwordHash: String, roleId: String,
        teamId: String? = nil, totpSecret: String? = nil, totpPendingSecret: String? = nil, totpLastStep: Int64 = 0,
        disabled: Bool = false, createdAt: Date, lastLoginAt: Date? = nil
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roleId = roleId
        self.teamId = teamId
        self.totpSecret = totpSecret
        self.totpPendingSecret = totpPendingSecret
        self.totpLastStep = totpLastStep
        self.disabled = disabled
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }
}
