// The signed E2E key exchange; see e2e_handshake.h and docs/protocol.md §3.2.
#include "core/e2e_handshake.h"

#include <algorithm>

#include "core/trailer_signature.h"

namespace guru::crypto {
namespace {

constexpr std::string_view kTranscriptLabel = "GuruConnect E2E v2";
constexpr std::string_view kCommitLabel = "GuruConnect E2E v2 commit";
constexpr std::string_view kConfirmLabel = "GuruConnect E2E v2 key-confirm";

constexpr std::size_t kCommitRecordSize = 1 + 32;
constexpr std::size_t kConfirmRecordSize = 1 + 65 + 32 + 64;

template <std::size_t N>
void copyInto(std::array<std::byte, N>& out, ByteView from) {
    std::copy(from.begin(), from.end(), out.begin());
}

// Constant time: the commitment is not secret, but there is no reason to leak where it differs.
bool sameBytes(const Key256& a, const Key256& b) {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<std::uint8_t>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

Key256 transcriptHash(const Transcript& t) {
    ByteWriter id(4);
    id.u32(t.viewerId);
    const Bytes viewerId = id.take();
    return sha256({asBytes(kTranscriptLabel), t.agentEphemeral, t.viewerEphemeral, t.identity, t.sessionId, viewerId});
}

Key256 keyCommitment(const PublicKey& agentEphemeral, const IdentityPublicKey& identity) {
    return sha256({asBytes(kCommitLabel), agentEphemeral, identity});
}

Bytes keyConfirmSigningInput(const Key256& th) {
    ByteWriter w(kConfirmLabel.size() + th.size());
    w.bytes(asBytes(kConfirmLabel));
    w.bytes(th);
    return w.take();
}

Bytes encodeKeyCommit(const Key256& commitment) {
    ByteWriter w(kCommitRecordSize);
    w.u8(static_cast<std::uint8_t>(RecordKind::KeyCommit));
    w.bytes(commitment);
    return w.take();
}

Result<Key256, CryptoError> decodeKeyCommit(ByteView record) {
    if (record.size() != kCommitRecordSize || record[0] != std::byte{static_cast<std::uint8_t>(RecordKind::KeyCommit)}) {
        return Failure{CryptoError::MalformedRecord};
    }
    Key256 commitment{};
    copyInto(commitment, record.subspan(1));
    return commitment;
}

Bytes encodeKeyConfirm(const KeyConfirm& c) {
    ByteWriter w(kConfirmRecordSize);
    w.u8(static_cast<std::uint8_t>(RecordKind::KeyConfirm));
    w.bytes(c.agentEphemeral);
    w.bytes(c.identity);
    w.bytes(c.signature);
    return w.take();
}

Result<KeyConfirm, CryptoError> decodeKeyConfirm(ByteView record) {
    if (record.size() != kConfirmRecordSize ||
        record[0] != std::byte{static_cast<std::uint8_t>(RecordKind::KeyConfirm)}) {
        return Failure{CryptoError::MalformedRecord};
    }
    KeyConfirm c;
    copyInto(c.agentEphemeral, record.subspan(1, 65));
    copyInto(c.identity, record.subspan(66, 32));
    copyInto(c.signature, record.subspan(98, 64));
    return c;
}

Result<AgentHandshake, CryptoError> AgentHandshake::start(const IdentityKey& identity, const SessionId& sessionId,
                                                          std::uint32_t viewerId) {
    auto ephemeral = EcdhKeyPair::generate();
    if (!ephemeral) return Failure{ephemeral.error()};
    return AgentHandshake(identity, std::move(*ephemeral), sessionId, viewerId);
}

AgentHandshake AgentHandshake::withKey(const IdentityKey& identity, EcdhKeyPair ephemeral,
                                       const SessionId& sessionId, std::uint32_t viewerId) {
    return AgentHandshake(identity, std::move(ephemeral), sessionId, viewerId);
}

Bytes AgentHandshake::commitRecord() const {
    return encodeKeyCommit(keyCommitment(ephemeral_.publicKey(), identity_->publicKey()));
}

Result<AgentHandshake::Finished, CryptoError> AgentHandshake::finish(ByteView keyShareRecord) const {
    auto viewerPoint = decodeKeyShare(keyShareRecord);
    if (!viewerPoint) return Failure{viewerPoint.error()};
    auto secret = ephemeral_.agree(*viewerPoint);
    if (!secret) return Failure{secret.error()};
    const Transcript t{ephemeral_.publicKey(), *viewerPoint, identity_->publicKey(), sessionId_, viewerId_};
    const Key256 th = transcriptHash(t);
    auto signature = identity_->sign(keyConfirmSigningInput(th));
    if (!signature) return Failure{signature.error()};
    auto keys = deriveSessionKeys(*secret, th);
    if (!keys) return Failure{keys.error()};
    auto channel = E2eChannel::fromKeys(Role::Agent, *keys);
    if (!channel) return Failure{channel.error()};
    return Finished{std::move(*channel), encodeKeyConfirm({t.agentEphemeral, t.identity, *signature})};
}

Result<Bytes, CryptoError> ViewerHandshake::commitReceived(ByteView record) {
    if (commitment_) return Failure{CryptoError::UnexpectedRecord};
    auto commitment = decodeKeyCommit(record);
    if (!commitment) return Failure{commitment.error()};
    commitment_ = *commitment;
    return encodeKeyShare(ephemeral_.publicKey());
}

Result<E2eChannel, CryptoError> ViewerHandshake::confirmReceived(ByteView record) {
    if (!commitment_ || identity_) return Failure{CryptoError::UnexpectedRecord};
    auto confirm = decodeKeyConfirm(record);
    if (!confirm) return Failure{confirm.error()};
    if (!sameBytes(keyCommitment(confirm->agentEphemeral, confirm->identity), *commitment_)) {
        return Failure{CryptoError::BadCommitment};
    }
    const Transcript t{confirm->agentEphemeral, ephemeral_.publicKey(), confirm->identity, sessionId_, viewerId_};
    const Key256 th = transcriptHash(t);
    switch (support::verifyEd25519(confirm->identity, keyConfirmSigningInput(th), confirm->signature)) {
        case support::SignatureCheck::Valid: break;
        case support::SignatureCheck::Invalid: return Failure{CryptoError::BadSignature};
        case support::SignatureCheck::Unavailable: return Failure{CryptoError::LibraryUnavailable};
    }
    auto secret = ephemeral_.agree(confirm->agentEphemeral);
    if (!secret) return Failure{secret.error()};
    auto keys = deriveSessionKeys(*secret, th);
    if (!keys) return Failure{keys.error()};
    auto channel = E2eChannel::fromKeys(Role::Viewer, *keys);
    if (!channel) return Failure{channel.error()};
    identity_ = confirm->identity;
    return channel;
}

}  // namespace guru::crypto
