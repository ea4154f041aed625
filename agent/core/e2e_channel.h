// The end-to-end channel between the agent and one viewer (docs/protocol.md §3).
#pragma once

#include <string>

#include "core/ecdh_key.h"
#include "core/hkdf.h"

namespace guru::crypto {

/// Which end of the channel this process is; selects the send and receive keys.
enum class Role : std::uint8_t { Agent, Viewer };

/// First byte of every relay payload.
enum class RecordKind : std::uint8_t { KeyShare = 0x01, Sealed = 0x02 };

/// Bytes before the ciphertext in a sealed record: kind (1) + counter (8); also the AAD.
inline constexpr std::size_t kSealedHeaderSize = 9;
/// AES-GCM tag length.
inline constexpr std::size_t kTagSize = 16;

/// Keys derived from one ECDH agreement, bound to both public keys.
struct SessionKeys {
    Key256 agentToViewer{};
    Key256 viewerToAgent{};
    Key256 transcriptHash{};  // SHA-256("GuruConnect E2E v1" || agentPub || viewerPub)
};

/// HKDF step of the key schedule, exposed for the test vectors.
Result<SessionKeys, CryptoError> deriveSessionKeys(const SharedSecret& secret,
                                                   const PublicKey& agentPublic,
                                                   const PublicKey& viewerPublic);

/// Human-comparable fingerprint "XXXX-XXXX-XXXX" of the first 6 transcript-hash bytes.
std::string fingerprint(const Key256& transcriptHash);

/// A KeyShare record: 0x01 || 65-byte public key.
Bytes encodeKeyShare(const PublicKey& key);
/// Parses a KeyShare record; does not check the point (agree() does).
Result<PublicKey, CryptoError> decodeKeyShare(ByteView record);

/// AES-256-GCM sealing in one direction and opening in the other, with counter nonces
/// and replay rejection. Not thread-safe: one owner per channel.
class E2eChannel {
public:
    /// Agrees a key with the peer's public key and derives both directions' keys.
    static Result<E2eChannel, CryptoError> establish(Role role, const EcdhKeyPair& own,
                                                     ByteView peerPublic);
    /// Builds a channel from already derived keys (tests and vectors).
    static Result<E2eChannel, CryptoError> fromKeys(Role role, const SessionKeys& keys);

    /// Seals plaintext into a Sealed record with the next counter (starting at 1).
    Result<Bytes, CryptoError> seal(ByteView plaintext);
    /// Opens a Sealed record; rejects tampering and counters not above the last accepted.
    Result<Bytes, CryptoError> open(ByteView record);

    /// The fingerprint both ends can show to detect a man in the middle.
    const std::string& fingerprint() const { return fingerprint_; }

private:
    E2eChannel(Cipher send, Cipher receive, std::uint32_t sendDir, std::uint32_t receiveDir,
               std::string fp)
        : send_(std::move(send)), receive_(std::move(receive)), sendDirection_(sendDir),
          receiveDirection_(receiveDir), fingerprint_(std::move(fp)) {}

    Cipher send_;
    Cipher receive_;
    std::uint32_t sendDirection_;
    std::uint32_t receiveDirection_;
    std::uint64_t nextSendCounter_ = 1;
    std::uint64_t lastReceivedCounter_ = 0;
    std::string fingerprint_;
};

}  // namespace guru::crypto
