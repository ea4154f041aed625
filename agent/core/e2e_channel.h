// The end-to-end channel between the agent and one viewer (docs/protocol.md §3): two
// counter spaces per direction of travel (ordered records allow no gap, picture records
// may skip), padding inside the sealed plaintext, and the short authentication string.
// The signed key exchange that produces the keys is core/e2e_handshake.h.
#pragma once

#include <string>

#include "core/ecdh_key.h"
#include "core/hkdf.h"

namespace guru::crypto {

/// Which end of the channel this process is; selects the send and receive keys.
enum class Role : std::uint8_t { Agent, Viewer };

/// First byte of every relay payload (docs/protocol.md §3.1); stable, never renumbered.
enum class RecordKind : std::uint8_t {
    KeyShare = 0x01,       // viewer → agent: the viewer's ephemeral point
    Sealed = 0x02,         // either way: an ordered record (no gap allowed)
    KeyCommit = 0x03,      // agent → viewer: hash of the agent's point and identity
    KeyConfirm = 0x04,     // agent → viewer: the point, the identity and its signature
    SealedPicture = 0x05,  // agent → viewer: a picture record (gaps allowed; the relay may drop it)
};

/// The two counter spaces of a direction.
enum class RecordStream : std::uint8_t {
    Ordered,  // input, clipboard, layout, control: every counter, in order
    Picture,  // tiles, frame ends, cursor: newer than the last, gaps allowed
};

/// Bytes before the ciphertext in a sealed record: kind (1) + counter (8); also the AAD.
inline constexpr std::size_t kSealedHeaderSize = 9;
/// AES-GCM tag length.
inline constexpr std::size_t kTagSize = 16;
/// Bytes of the padding length that starts every sealed plaintext.
inline constexpr std::size_t kPaddingHeaderSize = 2;

/// Keys derived from one key exchange, bound to its whole transcript.
struct SessionKeys {
    Key256 agentToViewer{};
    Key256 viewerToAgent{};
    Key256 transcriptHash{};  // th, docs/protocol.md §3.2
};

/// HKDF step of the key schedule (salt = th), exposed for the test vectors.
Result<SessionKeys, CryptoError> deriveSessionKeys(const SharedSecret& secret, const Key256& transcriptHash);

/// The 6-digit short authentication string of a transcript, "123 456" (docs/protocol.md §3.2).
std::string shortAuthString(const Key256& transcriptHash);

/// A KeyShare record: 0x01 || 65-byte public key.
Bytes encodeKeyShare(const PublicKey& key);
/// Parses a KeyShare record; does not check the point (agree() does).
Result<PublicKey, CryptoError> decodeKeyShare(ByteView record);

/// What open() returns: the stream the record came on and the inner message, unpadded.
struct OpenedRecord {
    RecordStream stream = RecordStream::Ordered;
    Bytes message;
};

/// AES-256-GCM sealing in one direction and opening in the other, with counter nonces,
/// replay rejection, strict order on the ordered stream. Not thread-safe: one owner.
class E2eChannel {
public:
    /// Builds a channel from derived keys (the handshake, tests and vectors).
    static Result<E2eChannel, CryptoError> fromKeys(Role role, const SessionKeys& keys);

    /// Seals `message` on `stream` with that stream's next counter (from 1). The plaintext is
    /// `u16 padding ‖ message ‖ padding zero bytes`, padded up to `padTo` bytes when shorter.
    /// Only the agent sends picture records (UnexpectedRecord otherwise).
    Result<Bytes, CryptoError> seal(ByteView message, RecordStream stream = RecordStream::Ordered,
                                    std::size_t padTo = 0);
    /// Opens a Sealed or SealedPicture record. Replay (counter not above the last of its
    /// stream) before any decryption, then AuthenticationFailed, then MissingRecord for an
    /// ordered counter that is not the last + 1: the channel is then broken for good.
    Result<OpenedRecord, CryptoError> open(ByteView record);

    /// The 6 digits both ends show, "123 456".
    const std::string& shortAuthString() const { return sas_; }
    /// True once an ordered record went missing; every later open fails too.
    bool broken() const { return broken_; }

private:
    struct Counters {
        std::uint64_t nextSend = 1;
        std::uint64_t lastReceived = 0;
    };
    E2eChannel(Role role, Cipher send, Cipher receive, std::string sas)
        : role_(role), send_(std::move(send)), receive_(std::move(receive)), sas_(std::move(sas)) {}

    Role role_;
    Cipher send_;
    Cipher receive_;
    Counters ordered_;
    Counters picture_;
    bool broken_ = false;
    std::string sas_;
};

}  // namespace guru::crypto
