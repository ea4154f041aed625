import Foundation

/// A token that lets machines enrol themselves (the Build tab's installers carry one). Only its SHA-256 is kept.
public struct EnrolmentToken: Sendable, Hashable {
    /// 32 lower-case hex digits.
    public var id: String
    /// What the person who built it called it ("Glaztech Phoenix workstations").
    public var name: String
    public var tokenHash: String
    public var createdBy: String?
    public var createdAt: Date
    public var expiresAt: Date
    /// nil: any number of machines may enrol with it.
    public var maxUses: Int64?
    public var uses: Int64
    public var revokedAt: Date?
    /// The metadata an enrolled machine starts with (contract: the inventory JSON's `metadata` object).
    public var metadataJSON: String
    /// windows64, windows32 or linux64: what it was built for (shown in the list, not enforced).
    public var platform: String

    public init(
        id: String, name: String, tokenHash: String, createdBy: String?, createdAt: Date, expiresAt: Date,
        maxUses: Int64?, uses: Int64 = 0, revokedAt: Date? = nil, metadataJSON: String, platform: String
    ) {
        self.id = id
        self.name = name
        self.tokenHash = tokenHash
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.maxUses = maxUses
        self.uses = uses
        self.revokedAt = revokedAt
        self.metadataJSON = metadataJSON
        self.platform = platform
    }

    /// Why a token no longer admits a machine at `now`, or nil when it does.
    public func refusal(at now: Date) -> EnrolmentRefusal? {
        if revokedAt != nil { return .revoked }
        if expiresAt <= now { return .expired }
        if let maxUses, uses >= maxUses { return .usedUp }
        return nil
    }
}

/// Why an enrolment was refused; the audit log records it, the agent only hears "expired or invalid".
public enum EnrolmentRefusal: String, Error, Sendable, Hashable {
    case expired
    case usedUp = "used-up"
    case revoked
    case unknown
}
