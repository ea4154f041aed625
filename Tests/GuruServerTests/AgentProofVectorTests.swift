import Crypto
import Foundation
import GuruProtocol
import Testing
@testable import GuruServer

/// The agent's identity proof against protocol/vectors/identity.json, which the C++ agent's tests read too.
@Suite("Agent identity proof vectors")
struct AgentProofVectorTests {
    struct Refused: Decodable {
        let name: String
        let message: String
        let identityKey: String
        let signature: String
    }

    struct Vectors: Decodable {
        let label: String
        let seed: String
        let identityKey: String
        let agentId: String
        let nonce: String
        let message: String
        let signature: String
        let refused: [Refused]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../protocol/vectors/identity.json")
        do {
            return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    static func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }

    @Test func theServerBuildsTheSameMessageAndAcceptsTheSignature() throws {
        let v = Self.vectors
        #expect(AgentProofCheck.label == Self.bytes(v.label))
        let message = AgentProofCheck.message(agentId: Self.bytes(v.agentId), nonce: Self.bytes(v.nonce), identityKey: Self.bytes(v.identityKey))
        #expect(message == Self.bytes(v.message))
        #expect(AgentProofCheck.verify(agentId: Self.bytes(v.agentId), nonce: Self.bytes(v.nonce), identityKey: Self.bytes(v.identityKey), signature: Self.bytes(v.signature)))
        // swift-crypto's own signatures are randomised, but they verify the same way.
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Self.bytes(v.seed))
        #expect(Array(key.publicKey.rawRepresentation) == Self.bytes(v.identityKey))
    }

    @Test func everyRefusedCaseIsRefused() throws {
        #expect(Self.vectors.refused.count >= 4)
        for refused in Self.vectors.refused {
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: Self.bytes(refused.identityKey))
            #expect(!key.isValidSignature(Self.bytes(refused.signature), for: Self.bytes(refused.message)), "\(refused.name)")
        }
        let v = Self.vectors
        var flipped = Self.bytes(v.signature)
        flipped[3] ^= 0x80
        #expect(!AgentProofCheck.verify(agentId: Self.bytes(v.agentId), nonce: Self.bytes(v.nonce), identityKey: Self.bytes(v.identityKey), signature: flipped))
        #expect(!AgentProofCheck.verify(agentId: Self.bytes(v.agentId), nonce: [UInt8](repeating: 0, count: 32), identityKey: Self.bytes(v.identityKey), signature: Self.bytes(v.signature)))
        #expect(!AgentProofCheck.verify(agentId: Self.bytes(v.agentId), nonce: Self.bytes(v.nonce), identityKey: Array(Self.bytes(v.identityKey).prefix(31)), signature: Self.bytes(v.signature)))
    }
}
