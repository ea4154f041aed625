import Foundation

/// An enrolled agent: its id, a name for people, and the SHA-256 of the credential it proves itself with.
public struct AgentRecord: Sendable, Hashable {
    /// 32 lower-case hex digits: the 16-byte id the agent sends in `AgentHello`.
    public var id: String
    public var name: String
    public var credentialHash: String
    public var createdAt: Date
    public var createdBy: String?
    public var lastSeenAt: Date?
    public var agentVersion: String?
    /// The Ed25519 identity key (hex) bound on the agent's first connection, nil until then or after a reset.
    public var identityKey: String?

    public init(
        id: String, name: String, credentialHash: String, createdAt: Date, createdBy: String?,
        lastSeenAt: Date? = nil, agentVersion: String? = nil, identityKey: String? = nil
    ) {
        self.id = id
        self.name = name
        self.credentialHash = credentialHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastSeenAt = lastSeenAt
        self.agentVersion = agentVersion
        self.identityKey = identityKey
    }
}
