import Foundation
import GuruProtocol
import GuruStore
import HummingbirdWebSocket
import NIOCore

/// The agent's proof of its identity key, between a valid `agentHello` and `welcome` (docs/protocol.md §1.1):
/// a fresh challenge, an Ed25519 proof, and the key bound to the session or enrolled agent on first use.
extension RelayConnections {
    /// Why a connection's identity proof failed; each is audited and answered with `Reject` 1.
    enum IdentityRefusal: String, Sendable {
        case noProof = "no AgentProof after the challenge"
        case badSignature = "the proof's signature does not verify"
        case otherKey = "another agent's key is bound to this id"
        case gone = "the session or agent no longer exists"
    }

    /// Challenges the agent and binds or checks its key. Returns the refusal, already audited and rejected, or nil
    /// when the agent proved the key this id is bound to (or bound it now).
    func proveIdentity(
        _ peer: AgentPeer, agentId idBytes: [UInt8], _ messages: inout EnvelopeMessages, _ outbound: WebSocketOutboundWriter,
        _ context: AppRequestContext
    ) async throws -> IdentityRefusal? {
        let nonce = AgentProofCheck.freshNonce()
        try await outbound.write(.binary(ByteBuffer(bytes: try EnvelopeCodec.encode(.agentChallenge(nonce: nonce)))))
        let refusal: IdentityRefusal?
        let key: [UInt8]
        if case .agentProof(let identityKey, let signature) = try await messages.next() {
            key = identityKey
            if !AgentProofCheck.verify(agentId: idBytes, nonce: nonce, identityKey: identityKey, signature: signature) {
                refusal = .badSignature
            } else {
                switch try await dependencies.store.identities.bind(peer.identitySubject, key: Hex.encode(identityKey)) {
                case .boundNow:
                    context.logger.info("agent identity bound", metadata: ["agent": "\(peer.id)", "key": "\(Hex.encode(identityKey).prefix(16))"])
                    await dependencies.audit.record(peer.auditPrefix + ".bound", .success, context: context, target: peer.id,
                                                    detail: "identity key \(Hex.encode(identityKey).prefix(16))…")
                    refusal = nil
                case .matches: refusal = nil
                case .mismatch: refusal = .otherKey
                case .notFound: refusal = .gone
                }
            }
        } else {
            key = []
            refusal = .noProof
        }
        guard let refusal else { return nil }
        context.logger.notice("agent refused", metadata: ["agent": "\(peer.id)", "why": "\(refusal.rawValue)"])
        let shownKey = key.isEmpty ? "" : " (key \(Hex.encode(key).prefix(16))…)"
        await dependencies.audit.record(peer.auditPrefix + ".refused", .denied, context: context, target: peer.id,
                                        detail: refusal.rawValue + shownKey)
        try await outbound.write(.binary(ByteBuffer(bytes: try EnvelopeCodec.encode(.reject(.badCredential)))))
        try await outbound.close(.policyViolation, reason: "rejected")
        return refusal
    }
}

extension RelayConnections.AgentPeer {
    /// Where this peer's identity key is recorded.
    var identitySubject: AgentIdentitySubject {
        switch self {
        case .enrolled(let agent): .enrolledAgent(id: agent.id)
        case .support(let session): .supportSession(id: session.id)
        }
    }

    /// `support.agent` or `agent`: the audit actions `….refused` and `….bound`.
    var auditPrefix: String {
        switch self {
        case .enrolled: "agent"
        case .support: "support.agent"
        }
    }
}
