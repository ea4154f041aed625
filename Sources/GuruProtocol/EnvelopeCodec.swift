/// Encodes and decodes envelope frames: an 8-byte header (version, tag, flags, length) and a payload.
/// The size limit is checked from the header alone, before anything is allocated.
public enum EnvelopeCodec {
    public static let version: UInt8 = 1
    public static let headerSize = 8
    public static let maxPayload = 1_048_576
    /// The largest frame on the wire.
    public static let maxFrame = headerSize + maxPayload
    static let maxToken = 1024
    /// Bytes of an `agentChallenge` nonce, an identity key and its signature.
    public static let challengeNonceSize = 32
    public static let identityKeySize = 32
    public static let signatureSize = 64
    /// The bounds of an `agentInventory` JSON payload.
    public static let inventoryBytes = 2...65_536
    /// Bytes of a MAC address and of an IPv4 address in `wakeOnLan`.
    public static let macSize = 6
    public static let ipv4Size = 4

    /// Checks a header (the first 8 bytes) and returns the tag, the relay mark (flags) and the payload
    /// length it declares. Only `relay` may carry flags, and only a `RelayMark`'s.
    public static func readHeader(_ bytes: some RandomAccessCollection<UInt8>) throws(EnvelopeError) -> (tag: Envelope.Tag, mark: RelayMark, length: Int) {
        guard bytes.count >= headerSize else { throw .incomplete }
        var reader = ByteReader(bytes.prefix(headerSize))
        guard try reader.u8() == version else { throw .unsupportedVersion }
        guard let tag = Envelope.Tag(rawValue: try reader.u8()) else { throw .unknownTag }
        let flags = try reader.u16()
        guard let mark = RelayMark(rawValue: flags), mark == .none || tag == .relay else { throw .reservedFlags }
        let length = Int(try reader.u32())
        guard length <= maxPayload else { throw .frameTooLarge }
        return (tag, mark, length)
    }

    /// Decodes exactly one frame: the whole input must be that frame.
    public static func decode(_ bytes: some RandomAccessCollection<UInt8>) throws(EnvelopeError) -> Envelope {
        let (tag, mark, length) = try readHeader(bytes)
        guard bytes.count >= headerSize + length else { throw .incomplete }
        guard bytes.count == headerSize + length else { throw .malformedPayload }
        // Reading the whole frame from an offset: for an [UInt8] input nothing is copied until the record.
        var reader = ByteReader(bytes, offset: headerSize)
        let message = try decodePayload(tag, mark, &reader)
        guard reader.isAtEnd else { throw .malformedPayload }
        return message
    }

    private static func decodePayload(_ tag: Envelope.Tag, _ mark: RelayMark, _ reader: inout ByteReader) throws(EnvelopeError) -> Envelope {
        switch tag {
        case .agentHello:
            let agentId = try reader.bytes(16)
            let credential = try token(&reader)
            let versionLength = Int(try reader.u8())
            guard let version = String(validating: try reader.bytes(versionLength), as: UTF8.self) else { throw .invalidField }
            return .agentHello(agentId: agentId, credential: credential, agentVersion: version)
        case .viewerJoin:
            let session = try reader.bytes(16)
            let joinToken = try token(&reader)
            return .viewerJoin(sessionId: session, joinToken: joinToken, mode: try mode(&reader))
        case .welcome:
            let connection = try reader.u32()
            let heartbeat = try reader.u16()
            guard heartbeat >= 1 else { throw .invalidField }
            return .welcome(connectionId: connection, heartbeatSeconds: heartbeat)
        case .reject:
            guard let code = RejectCode(rawValue: try reader.u16()) else { throw .invalidField }
            return .reject(code)
        case .agentChallenge:
            return .agentChallenge(nonce: try reader.bytes(challengeNonceSize))
        case .agentProof:
            return .agentProof(identityKey: try reader.bytes(identityKeySize), signature: try reader.bytes(signatureSize))
        case .ping:
            return .ping(nonce: try reader.u64())
        case .pong:
            return .pong(nonce: try reader.u64())
        case .viewerJoined:
            let session = try reader.bytes(16)
            let viewer = try reader.u32()
            guard viewer != 0 else { throw .invalidField }
            return .viewerJoined(sessionId: session, viewerId: viewer, mode: try mode(&reader))
        case .viewerLeft:
            return .viewerLeft(viewerId: try reader.u32(), reason: try reader.u16())
        case .sessionEnd:
            return .sessionEnd(sessionId: try reader.bytes(16), reason: try reader.u16())
        case .viewerInfo:
            let viewer = try reader.u32()
            guard viewer != 0 else { throw .invalidField }
            let nameLength = Int(try reader.u8())
            guard let name = String(validating: try reader.bytes(nameLength), as: UTF8.self) else { throw .invalidField }
            return .viewerInfo(viewerId: viewer, name: name)
        case .agentStatus:
            guard let state = AgentState(rawValue: try reader.u8()) else { throw .invalidField }
            return .agentStatus(state)
        case .agentInfo:
            return .agentInfo(hostname: try shortText(&reader), osName: try shortText(&reader), userName: try shortText(&reader))
        case .agentInventory:
            let json = reader.rest()
            guard inventoryBytes.contains(json.count), String(validating: json, as: UTF8.self) != nil else { throw .invalidField }
            return .agentInventory(json: json)
        case .wakeOnLan:
            let mac = try reader.bytes(macSize)
            let broadcast = try reader.bytes(ipv4Size)
            guard validMac(mac) else { throw .invalidField }
            return .wakeOnLan(mac: mac, broadcast: broadcast)
        case .relay:
            let peer = try reader.u32()
            let record = reader.rest()
            guard !record.isEmpty else { throw .invalidField }
            return .relay(peerId: peer, record: record, mark: mark)
        }
    }

    private static func token(_ reader: inout ByteReader) throws(EnvelopeError) -> [UInt8] {
        let length = Int(try reader.u16())
        guard (1...maxToken).contains(length) else { throw .invalidField }
        return try reader.bytes(length)
    }

    /// A `u8` length and that many bytes of UTF-8.
    private static func shortText(_ reader: inout ByteReader) throws(EnvelopeError) -> String {
        let length = Int(try reader.u8())
        guard let text = String(validating: try reader.bytes(length), as: UTF8.self) else { throw .invalidField }
        return text
    }

    /// A MAC a magic packet can wake: neither all zeros nor the broadcast address.
    private static func validMac(_ mac: [UInt8]) -> Bool {
        mac.count == macSize && !mac.allSatisfy { $0 == 0 } && !mac.allSatisfy { $0 == 0xFF }
    }

    private static func mode(_ reader: inout ByteReader) throws(EnvelopeError) -> ViewerMode {
        guard let mode = ViewerMode(rawValue: try reader.u8()) else { throw .invalidField }
        return mode
    }

    /// Encodes a frame. Callers must keep fields within the protocol's limits (16-byte ids, tokens of
    /// 1 to 1024 bytes, a record that fits the maximum payload); `EnvelopeError.invalidField` otherwise.
    public static func encode(_ message: Envelope) throws(EnvelopeError) -> [UInt8] {
        // One buffer: the header with a placeholder length, then the payload, then the length patched in.
        // Relay frames (up to 1 MiB) pass through here on every hop, so nothing is copied twice.
        var payload = ByteWriter()
        payload.buffer.reserveCapacity(headerSize + Self.payloadSizeHint(message))
        payload.u8(version)
        payload.u8(message.tag.rawValue)
        if case .relay(_, _, let mark) = message { payload.u16(mark.rawValue) } else { payload.u16(0) }
        payload.u32(0)
        switch message {
        case .agentHello(let agentId, let credential, let agentVersion):
            try payload.id(agentId)
            try payload.token(credential, max: maxToken)
            let version = Array(agentVersion.utf8)
            guard version.count <= 255 else { throw .invalidField }
            payload.u8(UInt8(version.count))
            payload.bytes(version)
        case .viewerJoin(let sessionId, let joinToken, let mode):
            try payload.id(sessionId)
            try payload.token(joinToken, max: maxToken)
            payload.u8(mode.rawValue)
        case .welcome(let connectionId, let heartbeatSeconds):
            guard heartbeatSeconds >= 1 else { throw .invalidField }
            payload.u32(connectionId)
            payload.u16(heartbeatSeconds)
        case .reject(let code):
            payload.u16(code.rawValue)
        case .agentChallenge(let nonce):
            guard nonce.count == challengeNonceSize else { throw .invalidField }
            payload.bytes(nonce)
        case .agentProof(let identityKey, let signature):
            guard identityKey.count == identityKeySize, signature.count == signatureSize else { throw .invalidField }
            payload.bytes(identityKey)
            payload.bytes(signature)
        case .ping(let nonce), .pong(let nonce):
            payload.u64(nonce)
        case .viewerJoined(let sessionId, let viewerId, let mode):
            guard viewerId != 0 else { throw .invalidField }
            try payload.id(sessionId)
            payload.u32(viewerId)
            payload.u8(mode.rawValue)
        case .viewerLeft(let viewerId, let reason):
            payload.u32(viewerId)
            payload.u16(reason)
        case .sessionEnd(let sessionId, let reason):
            try payload.id(sessionId)
            payload.u16(reason)
        case .viewerInfo(let viewerId, let name):
            guard viewerId != 0 else { throw .invalidField }
            let bytes = Array(name.utf8)
            guard bytes.count <= 255 else { throw .invalidField }
            payload.u32(viewerId)
            payload.u8(UInt8(bytes.count))
            payload.bytes(bytes)
        case .agentStatus(let state):
            payload.u8(state.rawValue)
        case .agentInfo(let hostname, let osName, let userName):
            for text in [hostname, osName, userName] {
                let bytes = Array(text.utf8)
                guard bytes.count <= 255 else { throw .invalidField }
                payload.u8(UInt8(bytes.count))
                payload.bytes(bytes)
            }
        case .agentInventory(let json):
            guard inventoryBytes.contains(json.count), String(validating: json, as: UTF8.self) != nil else { throw .invalidField }
            payload.bytes(json)
        case .wakeOnLan(let mac, let broadcast):
            guard validMac(mac), broadcast.count == ipv4Size else { throw .invalidField }
            payload.bytes(mac)
            payload.bytes(broadcast)
        case .relay(let peerId, let record, _):
            guard !record.isEmpty else { throw .invalidField }
            payload.u32(peerId)
            payload.bytes(record)
        }
        let length = payload.buffer.count - headerSize
        guard length <= maxPayload else { throw .frameTooLarge }
        for index in 0..<4 { payload.buffer[4 + index] = UInt8(truncatingIfNeeded: length >> (24 - 8 * index)) }
        return payload.buffer
    }

    private static func payloadSizeHint(_ message: Envelope) -> Int {
        if case .relay(_, let record, _) = message { return 4 + record.count }
        return 64
    }
}
