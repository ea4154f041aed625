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
    /// The last inventory report; empty until the agent sends one.
    public var inventory: MachineInventory
    /// Company, site and the other grouping fields.
    public var metadata: MachineMetadata
    /// The first successful connection.
    public var firstSeenAt: Date?
    /// The last time a technician joined it.
    public var lastAccessedAt: Date?
    /// Flagged for follow-up (the "Attention" smart group), with an optional note.
    public var attention: Bool
    public var attentionNote: String?

    public init(
        id: String, name: String, credentialHash: String, createdAt: Date, createdBy: String?,
        lastSeenAt: Date? = nil, agentVersion: String? = nil, identityKey: String? = nil,
        inventory: MachineInventory = MachineInventory(), metadata: MachineMetadata = MachineMetadata(),
        firstSeenAt: Date? = nil, lastAccessedAt: Date? = nil, attention: Bool = false, attentionNote: String? = nil
    ) {
        self.id = id
        self.name = name
        self.credentialHash = credentialHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastSeenAt = lastSeenAt
        self.agentVersion = agentVersion
        self.identityKey = identityKey
        self.inventory = inventory
        self.metadata = metadata
        self.firstSeenAt = firstSeenAt
        self.lastAccessedAt = lastAccessedAt
        self.attention = attention
        self.attentionNote = attentionNote
    }

    /// The name people see: the custom name, else the reported hostname, else the enrolment name.
    public var displayName: String { metadata.name ?? inventory.hostname ?? name }
}
