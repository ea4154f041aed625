/// One envelope frame: what the server reads of the agent/viewer protocol (docs/protocol.md §2).
/// End-to-end records travel inside `.relay` untouched.
public enum Envelope: Sendable, Equatable {
    case agentHello(agentId: [UInt8], credential: [UInt8], agentVersion: String)
    case viewerJoin(sessionId: [UInt8], joinToken: [UInt8], mode: ViewerMode)
    case welcome(connectionId: UInt32, heartbeatSeconds: UInt16)
    case reject(RejectCode)
    /// Server → agent after a valid `agentHello`: a fresh 32-byte nonce the agent signs (docs/protocol.md §1.1).
    case agentChallenge(nonce: [UInt8])
    /// Agent → server: its 32-byte Ed25519 identity key and the 64-byte signature of `AgentProof.message`.
    case agentProof(identityKey: [UInt8], signature: [UInt8])
    case ping(nonce: UInt64)
    case pong(nonce: UInt64)
    case viewerJoined(sessionId: [UInt8], viewerId: UInt32, mode: ViewerMode)
    case viewerLeft(viewerId: UInt32, reason: UInt16)
    case sessionEnd(sessionId: [UInt8], reason: UInt16)
    /// Who a viewer is, sent to the agent right after `viewerJoined` (the end user sees the name).
    case viewerInfo(viewerId: UInt32, name: String)
    /// A one-time agent's consent and lifecycle news (docs/support.md).
    case agentStatus(AgentState)
    /// The machine an agent runs on, sent after `welcome`, so technicians can tell sessions apart.
    case agentInfo(hostname: String, osName: String, userName: String)
    /// An unattended agent's inventory: one UTF-8 JSON object of 2 to 65 536 bytes (docs/protocol.md §2.6).
    /// The codec checks the size and the UTF-8; the server parses and bounds the JSON.
    case agentInventory(json: [UInt8])
    /// Server → agent: broadcast a Wake-on-LAN magic packet for `mac` (6 bytes) to `broadcast` (IPv4, 4 bytes).
    case wakeOnLan(mac: [UInt8], broadcast: [UInt8])
    /// An end-to-end record. `mark` (the header's flags) tells the relay which records make up a
    /// picture frame it may drop whole (docs/protocol.md §2.5); the relay forwards with `.none`.
    case relay(peerId: UInt32, record: [UInt8], mark: RelayMark = .none)

    /// The stable numeric tag of each message. Never renumber; only add.
    public enum Tag: UInt8, Sendable, CaseIterable {
        case agentHello = 0x01, viewerJoin = 0x02, welcome = 0x03, reject = 0x04
        case agentChallenge = 0x05, agentProof = 0x06
        case ping = 0x10, pong = 0x11
        case viewerJoined = 0x20, viewerLeft = 0x21, sessionEnd = 0x22, viewerInfo = 0x23
        case relay = 0x30
        case agentStatus = 0x40, agentInfo = 0x41, agentInventory = 0x42, wakeOnLan = 0x43
    }

    public var tag: Tag {
        switch self {
        case .agentHello: .agentHello
        case .viewerJoin: .viewerJoin
        case .welcome: .welcome
        case .reject: .reject
        case .agentChallenge: .agentChallenge
        case .agentProof: .agentProof
        case .ping: .ping
        case .pong: .pong
        case .viewerJoined: .viewerJoined
        case .viewerLeft: .viewerLeft
        case .sessionEnd: .sessionEnd
        case .viewerInfo: .viewerInfo
        case .agentStatus: .agentStatus
        case .agentInfo: .agentInfo
        case .agentInventory: .agentInventory
        case .wakeOnLan: .wakeOnLan
        case .relay: .relay
        }
    }
}

/// How an agent marks a relayed record, in the header's flags (docs/protocol.md §2.5).
public enum RelayMark: UInt16, Sendable, Equatable {
    /// Never dropped (key shares, layout, cursor, clipboard, input).
    case none = 0x0000
    /// A record of a picture frame: the relay may drop the frame whole.
    case picture = 0x0001
    /// The last record of a picture frame.
    case frameEnd = 0x0003

    /// Whether the record belongs to a picture frame.
    public var isPicture: Bool { self != .none }
}

/// Whether a viewer takes control or only watches.
public enum ViewerMode: UInt8, Sendable, Equatable {
    case control = 0
    case view = 1
}

/// What a one-time support agent reports about its end user's consent and the session.
public enum AgentState: UInt8, Sendable, Equatable {
    case waitingForConsent = 1
    case consentGiven = 2
    case consentDeclined = 3
    case endedByUser = 4
}

/// Why a session ended, in `sessionEnd` (docs/support.md §3).
public enum SessionEndReason: UInt16, Sendable {
    case agentGone = 1
    case endedByTechnician = 2
    case cancelled = 3
    case transferred = 4
    case idleTimeout = 5
    case declined = 6
}

/// Why the server turned a connection away.
public enum RejectCode: UInt16, Sendable, Equatable {
    case badCredential = 1
    case unknownSession = 2
    case unsupportedVersion = 3
    case rateLimited = 4
    case serverError = 5
    /// The session already has as many viewers as the server allows.
    case sessionFull = 6
}

/// Why a frame could not be decoded; the names match `protocol/vectors`.
public enum EnvelopeError: Error, Sendable, Equatable {
    case incomplete
    case unsupportedVersion
    case unknownTag
    case reservedFlags
    case frameTooLarge
    case malformedPayload
    case invalidField

    /// The name used in the shared test vectors and the other implementations.
    public var vectorName: String {
        switch self {
        case .incomplete: "Incomplete"
        case .unsupportedVersion: "UnsupportedVersion"
        case .unknownTag: "UnknownTag"
        case .reservedFlags: "ReservedFlags"
        case .frameTooLarge: "FrameTooLarge"
        case .malformedPayload: "MalformedPayload"
        case .invalidField: "InvalidField"
        }
    }
}
