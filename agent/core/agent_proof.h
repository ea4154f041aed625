// The agent's proof of its identity key (docs/protocol.md §1.1): after AgentHello the server
// sends AgentChallenge{nonce}; the agent answers AgentProof{identityKey, signature} with an
// Ed25519 signature over a domain-separated message that binds the agent id, the nonce and
// the key, so a proof is good for one connection of one agent only.
#pragma once

#include <string_view>

#include "core/envelope.h"
#include "core/identity_key.h"

namespace guru::crypto {

/// What the proof message starts with (26 ASCII bytes, no terminator).
inline constexpr std::string_view kAgentProofLabel = "GuruConnect agent proof v1";

/// label ‖ agentId (16) ‖ nonce (32) ‖ identityKey (32): the bytes the proof signs.
Bytes agentProofMessage(const envelope::Id128& agentId, const envelope::AgentChallenge& challenge,
                        const IdentityPublicKey& identityKey);

/// The AgentProof answering `challenge` for `agentId` with `key`.
Result<envelope::AgentProof, CryptoError> proveAgent(const IdentityKey& key, const envelope::Id128& agentId,
                                                     const envelope::AgentChallenge& challenge);

}  // namespace guru::crypto
