import Crypto
import Foundation
import GuruProtocol

/// The agent's proof of its Ed25519 identity key (docs/protocol.md §1.1): the server sends a fresh
/// `agentChallenge`, and the agent signs `label ‖ agentId ‖ nonce ‖ identityKey`. The label separates these
/// signatures from every other use of the key (its KeyShare signatures), and the id and nonce make a proof
/// good for one connection of one agent only.
enum AgentProofCheck {
    /// The 26 ASCII bytes the signed message starts with.
    static let label = Array("GuruConnect agent proof v1".utf8)

    /// A fresh challenge nonce from the system CSPRNG.
    static func freshNonce() -> [UInt8] { SecureToken.randomBytes(EnvelopeCodec.challengeNonceSize) }

    /// The bytes an agent signs to answer `nonce`.
    static func message(agentId: [UInt8], nonce: [UInt8], identityKey: [UInt8]) -> [UInt8] {
        label + agentId + nonce + identityKey
    }

    /// Whether `signature` proves `identityKey` for this agent and nonce. Any malformed key is simply refused.
    static func verify(agentId: [UInt8], nonce: [UInt8], identityKey: [UInt8], signature: [UInt8]) -> Bool {
        guard identityKey.count == EnvelopeCodec.identityKeySize, signature.count == EnvelopeCodec.signatureSize else { return false }
        let key: Curve25519.Signing.PublicKey
        do {
            key = try Curve25519.Signing.PublicKey(rawRepresentation: identityKey)
        } catch {
            return false  // not a key: the proof fails, and the caller refuses and audits the connection
        }
        return key.isValidSignature(signature, for: message(agentId: agentId, nonce: nonce, identityKey: identityKey))
    }
}
