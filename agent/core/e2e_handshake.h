// The signed key exchange of the E2E channel (docs/protocol.md §3.2): the agent commits to
// its ephemeral point and identity key (KeyCommit), the viewer answers with its point
// (KeyShare), the agent reveals both and signs the transcript with its long-term Ed25519
// identity key (KeyConfirm). A relay that swaps points cannot forge the signature; a relay
// that also swaps the identity key (first contact, nothing pinned yet) still cannot steer
// the 6-digit code, because each side's half was fixed before it saw the other's.
#pragma once

#include <optional>

#include "core/e2e_channel.h"
#include "core/identity_key.h"

namespace guru::crypto {

/// The support or agent session id the viewer joined (ViewerJoin / ViewerJoined).
using SessionId = std::array<std::byte, 16>;

/// Everything the transcript hash binds (docs/protocol.md §3.2).
struct Transcript {
    PublicKey agentEphemeral{};
    PublicKey viewerEphemeral{};
    IdentityPublicKey identity{};
    SessionId sessionId{};
    std::uint32_t viewerId = 0;
};

/// th = SHA-256("GuruConnect E2E v2" ‖ agentEph ‖ viewerEph ‖ identity ‖ sessionId ‖ u32 viewerId).
Key256 transcriptHash(const Transcript& t);
/// SHA-256("GuruConnect E2E v2 commit" ‖ agentEph ‖ identity): what KeyCommit carries.
Key256 keyCommitment(const PublicKey& agentEphemeral, const IdentityPublicKey& identity);
/// The bytes the identity key signs: "GuruConnect E2E v2 key-confirm" ‖ th.
Bytes keyConfirmSigningInput(const Key256& transcriptHash);

/// A KeyConfirm record's fields.
struct KeyConfirm {
    PublicKey agentEphemeral{};
    IdentityPublicKey identity{};
    IdentitySignature signature{};
};

/// 0x03 ‖ commitment (33 bytes).
Bytes encodeKeyCommit(const Key256& commitment);
Result<Key256, CryptoError> decodeKeyCommit(ByteView record);
/// 0x04 ‖ agentEph(65) ‖ identity(32) ‖ signature(64) (162 bytes).
Bytes encodeKeyConfirm(const KeyConfirm& confirm);
Result<KeyConfirm, CryptoError> decodeKeyConfirm(ByteView record);

/// The agent's half, one per viewer: commit at join, confirm and derive on the KeyShare.
class AgentHandshake {
public:
    /// A fresh ephemeral key for one viewer.
    static Result<AgentHandshake, CryptoError> start(const IdentityKey& identity, const SessionId& sessionId,
                                                     std::uint32_t viewerId);
    /// With a fixed ephemeral key (test vectors).
    static AgentHandshake withKey(const IdentityKey& identity, EcdhKeyPair ephemeral, const SessionId& sessionId,
                                  std::uint32_t viewerId);

    /// The KeyCommit record to send first.
    Bytes commitRecord() const;

    /// What the viewer's KeyShare yields: the channel and the KeyConfirm record to send
    /// before any sealed record.
    struct Finished {
        E2eChannel channel;
        Bytes confirmRecord;
    };
    /// Agrees keys with the viewer's KeyShare record and signs the transcript.
    Result<Finished, CryptoError> finish(ByteView keyShareRecord) const;

private:
    AgentHandshake(const IdentityKey& identity, EcdhKeyPair ephemeral, const SessionId& sessionId,
                   std::uint32_t viewerId)
        : identity_(&identity), ephemeral_(std::move(ephemeral)), sessionId_(sessionId), viewerId_(viewerId) {}

    const IdentityKey* identity_;  // owned by the agent, outlives every session
    EcdhKeyPair ephemeral_;
    SessionId sessionId_;
    std::uint32_t viewerId_;
};

/// The viewer's half (the browser's protocol/e2e.js does the same; C++ for tests and fuzzing).
class ViewerHandshake {
public:
    ViewerHandshake(EcdhKeyPair ephemeral, const SessionId& sessionId, std::uint32_t viewerId)
        : ephemeral_(std::move(ephemeral)), sessionId_(sessionId), viewerId_(viewerId) {}

    /// Takes the agent's KeyCommit; returns the KeyShare record to answer with.
    Result<Bytes, CryptoError> commitReceived(ByteView record);
    /// Checks KeyConfirm against the commitment and its signature, then derives the keys.
    /// Nothing sealed may be opened before this succeeds.
    Result<E2eChannel, CryptoError> confirmReceived(ByteView record);
    /// The identity key the agent proved (after confirmReceived), for pinning.
    const std::optional<IdentityPublicKey>& identity() const { return identity_; }

private:
    EcdhKeyPair ephemeral_;
    SessionId sessionId_;
    std::uint32_t viewerId_;
    std::optional<Key256> commitment_;
    std::optional<IdentityPublicKey> identity_;
};

}  // namespace guru::crypto
