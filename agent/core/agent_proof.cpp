// AgentProof: the signed answer to an AgentChallenge (agent_proof.h).
#include "core/agent_proof.h"

namespace guru::crypto {

Bytes agentProofMessage(const envelope::Id128& agentId, const envelope::AgentChallenge& challenge,
                        const IdentityPublicKey& identityKey) {
    ByteWriter w(kAgentProofLabel.size() + agentId.size() + challenge.nonce.size() + identityKey.size());
    w.text(kAgentProofLabel);
    w.bytes(agentId);
    w.bytes(challenge.nonce);
    w.bytes(identityKey);
    return w.take();
}

Result<envelope::AgentProof, CryptoError> proveAgent(const IdentityKey& key, const envelope::Id128& agentId,
                                                     const envelope::AgentChallenge& challenge) {
    auto signature = key.sign(agentProofMessage(agentId, challenge, key.publicKey()));
    if (!signature) return Failure{signature.error()};
    return envelope::AgentProof{key.publicKey(), *signature};
}

}  // namespace guru::crypto
