import Foundation
import Testing
@testable import GuruProtocol

/// The shared vectors in protocol/vectors/envelope.json: the C++ and JavaScript suites read the same file.
@Suite("Envelope vectors")
struct EnvelopeVectorTests {
    struct Vectors: Decodable {
        struct Valid: Decodable { let name: String; let hex: String; let message: [String: JSONValue] }
        struct Invalid: Decodable { let name: String; let hex: String; let error: String }
        let maxPayload: Int
        let valid: [Valid]
        let invalid: [Invalid]
    }

    /// Just enough JSON to read the vector messages.
    enum JSONValue: Decodable {
        case string(String), number(Int)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .string(try container.decode(String.self)) }
        }
        var string: String? { if case .string(let s) = self { s } else { nil } }
        var int: Int? { if case .number(let n) = self { n } else { nil } }
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../protocol/vectors/envelope.json")
        do {
            return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    static func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }

    static func expected(_ message: [String: JSONValue]) -> Envelope? {
        func hex(_ key: String) -> [UInt8] { bytes(message[key]?.string ?? "") }
        func int(_ key: String) -> Int { message[key]?.int ?? 0 }
        func mode() -> ViewerMode { message["mode"]?.string == "view" ? .view : .control }
        switch message["type"]?.string {
        case "AgentHello": return .agentHello(agentId: hex("agentId"), credential: hex("credential"), agentVersion: message["agentVersion"]?.string ?? "")
        case "ViewerJoin": return .viewerJoin(sessionId: hex("sessionId"), joinToken: hex("joinToken"), mode: mode())
        case "Welcome": return .welcome(connectionId: UInt32(int("connectionId")), heartbeatSeconds: UInt16(int("heartbeatSeconds")))
        case "Reject": return RejectCode(rawValue: UInt16(int("code"))).map(Envelope.reject)
        case "Ping": return .ping(nonce: UInt64(message["nonce"]?.string ?? "") ?? 0)
        case "Pong": return .pong(nonce: UInt64(message["nonce"]?.string ?? "") ?? 0)
        case "ViewerJoined": return .viewerJoined(sessionId: hex("sessionId"), viewerId: UInt32(int("viewerId")), mode: mode())
        case "ViewerLeft": return .viewerLeft(viewerId: UInt32(int("viewerId")), reason: UInt16(int("reason")))
        case "SessionEnd": return .sessionEnd(sessionId: hex("sessionId"), reason: UInt16(int("reason")))
        case "ViewerInfo": return .viewerInfo(viewerId: UInt32(int("viewerId")), name: message["name"]?.string ?? "")
        case "AgentStatus": return AgentState(rawValue: UInt8(int("state"))).map(Envelope.agentStatus)
        case "AgentInfo": return .agentInfo(hostname: message["hostname"]?.string ?? "", osName: message["osName"]?.string ?? "", userName: message["userName"]?.string ?? "")
        case "AgentInventory": return .agentInventory(json: Array((message["json"]?.string ?? "").utf8))
        case "WakeOnLan": return .wakeOnLan(mac: hex("mac"), broadcast: hex("broadcast"))
        case "Relay":
            let marks: [String: RelayMark] = ["none": .none, "picture": .picture, "frameEnd": .frameEnd]
            guard let mark = marks[message["mark"]?.string ?? ""] else { return nil }
            return .relay(peerId: UInt32(int("peerId")), record: hex("sealed"), mark: mark)
        case "AgentChallenge": return .agentChallenge(nonce: hex("nonce"))
        case "AgentProof": return .agentProof(identityKey: hex("identityKey"), signature: hex("signature"))
        default: return nil
        }
    }

    @Test func hexRoundTripsAndRejectsJunk() {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test func limitsMatchTheVectors() {
        #expect(Self.vectors.maxPayload == EnvelopeCodec.maxPayload)
        #expect(Self.vectors.valid.count >= 10)
        #expect(Self.vectors.invalid.count >= 15)
    }

    @Test func validFramesDecodeAndReencodeByteForByte() throws {
        for vector in Self.vectors.valid {
            let frame = Self.bytes(vector.hex)
            let decoded = try EnvelopeCodec.decode(frame)
            #expect(decoded == Self.expected(vector.message), "\(vector.name)")
            #expect(try EnvelopeCodec.encode(decoded) == frame, "\(vector.name)")
        }
    }

    @Test func invalidFramesFailWithTheNamedError() {
        for vector in Self.vectors.invalid {
            do {
                _ = try EnvelopeCodec.decode(Self.bytes(vector.hex))
                Issue.record("\(vector.name) decoded")
            } catch {
                #expect(error.vectorName == vector.error, "\(vector.name)")
            }
        }
    }

    @Test func everyStrictPrefixOfAValidFrameIsIncomplete() {
        for vector in Self.vectors.valid {
            let frame = Self.bytes(vector.hex)
            for length in 0..<frame.count {
                #expect(throws: EnvelopeError.incomplete) { try EnvelopeCodec.decode(frame.prefix(length)) }
            }
        }
    }

    @Test func oversizedHeadersAreRejectedFromTheHeaderAlone() throws {
        let header: [UInt8] = [1, 0x30, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: EnvelopeError.frameTooLarge) { try EnvelopeCodec.readHeader(header) }
        let record = [UInt8](repeating: 2, count: EnvelopeCodec.maxPayload)
        #expect(throws: EnvelopeError.frameTooLarge) { try EnvelopeCodec.encode(.relay(peerId: 1, record: record)) }
        let fits = try EnvelopeCodec.encode(.relay(peerId: 1, record: Array(record.dropLast(4))))
        #expect(fits.count == EnvelopeCodec.maxFrame)
    }
}
