// E2E key schedule and AES-256-GCM records; see e2e_channel.h and docs/protocol.md §3.
#include "core/e2e_channel.h"

#include <limits>

namespace guru::crypto {
namespace {

constexpr std::string_view kTranscriptLabel = "GuruConnect E2E v1";
constexpr std::string_view kInfoAgentToViewer = "guruconnect e2e v1 agent-to-viewer";
constexpr std::string_view kInfoViewerToAgent = "guruconnect e2e v1 viewer-to-agent";
constexpr std::uint32_t kDirectionAgentToViewer = 1;
constexpr std::uint32_t kDirectionViewerToAgent = 2;

Result<Cipher, CryptoError> openCipher(const Key256& key) {
    gcry_cipher_hd_t raw = nullptr;
    if (gcry_cipher_open(&raw, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0)) {
        return Failure{CryptoError::Internal};
    }
    Cipher cipher(raw);
    if (gcry_cipher_setkey(cipher.get(), key.data(), key.size())) {
        return Failure{CryptoError::Internal};
    }
    return cipher;
}

std::array<std::byte, 12> nonceFor(std::uint32_t direction, std::uint64_t counter) {
    ByteWriter w(12);
    w.u32(direction);
    w.u64(counter);
    auto bytes = w.take();
    std::array<std::byte, 12> nonce{};
    std::copy(bytes.begin(), bytes.end(), nonce.begin());
    return nonce;
}

bool start(gcry_cipher_hd_t h, std::uint32_t direction, std::uint64_t counter, ByteView aad) {
    auto nonce = nonceFor(direction, counter);
    return !gcry_cipher_reset(h) && !gcry_cipher_setiv(h, nonce.data(), nonce.size()) &&
           !gcry_cipher_authenticate(h, aad.data(), aad.size());
}

}  // namespace

Result<SessionKeys, CryptoError> deriveSessionKeys(const SharedSecret& secret,
                                                   const PublicKey& agentPublic,
                                                   const PublicKey& viewerPublic) {
    SessionKeys keys;
    keys.transcriptHash = sha256({asBytes(kTranscriptLabel), agentPublic, viewerPublic});
    auto a2v = hkdfSha256(secret, keys.transcriptHash, asBytes(kInfoAgentToViewer));
    auto v2a = hkdfSha256(secret, keys.transcriptHash, asBytes(kInfoViewerToAgent));
    if (!a2v) return Failure{a2v.error()};
    if (!v2a) return Failure{v2a.error()};
    keys.agentToViewer = *a2v;
    keys.viewerToAgent = *v2a;
    return keys;
}

std::string fingerprint(const Key256& transcriptHash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < 6; ++i) {
        if (i > 0 && i % 2 == 0) out.push_back('-');
        auto b = static_cast<unsigned>(transcriptHash[i]);
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xF]);
    }
    return out;
}

Bytes encodeKeyShare(const PublicKey& key) {
    ByteWriter w(1 + key.size());
    w.u8(static_cast<std::uint8_t>(RecordKind::KeyShare));
    w.bytes(key);
    return w.take();
}

Result<PublicKey, CryptoError> decodeKeyShare(ByteView record) {
    ByteReader r(record);
    auto kind = r.u8();
    if (!kind || *kind != static_cast<std::uint8_t>(RecordKind::KeyShare) || r.remaining() != 65) {
        return Failure{CryptoError::MalformedRecord};
    }
    PublicKey key{};
    auto body = r.rest();
    std::copy(body.begin(), body.end(), key.begin());
    return key;
}

Result<E2eChannel, CryptoError> E2eChannel::establish(Role role, const EcdhKeyPair& own,
                                                      ByteView peerPublic) {
    auto secret = own.agree(peerPublic);
    if (!secret) return Failure{secret.error()};
    PublicKey peer{};
    std::copy(peerPublic.begin(), peerPublic.end(), peer.begin());
    const auto& agentKey = role == Role::Agent ? own.publicKey() : peer;
    const auto& viewerKey = role == Role::Agent ? peer : own.publicKey();
    auto keys = deriveSessionKeys(*secret, agentKey, viewerKey);
    if (!keys) return Failure{keys.error()};
    return fromKeys(role, *keys);
}

Result<E2eChannel, CryptoError> E2eChannel::fromKeys(Role role, const SessionKeys& keys) {
    bool agent = role == Role::Agent;
    auto send = openCipher(agent ? keys.agentToViewer : keys.viewerToAgent);
    auto receive = openCipher(agent ? keys.viewerToAgent : keys.agentToViewer);
    if (!send || !receive) return Failure{CryptoError::Internal};
    return E2eChannel(std::move(*send), std::move(*receive),
                      agent ? kDirectionAgentToViewer : kDirectionViewerToAgent,
                      agent ? kDirectionViewerToAgent : kDirectionAgentToViewer,
                      crypto::fingerprint(keys.transcriptHash));
}

Result<Bytes, CryptoError> E2eChannel::seal(ByteView plaintext) {
    if (nextSendCounter_ == std::numeric_limits<std::uint64_t>::max()) {
        return Failure{CryptoError::CounterExhausted};
    }
    std::uint64_t counter = nextSendCounter_++;
    ByteWriter w(kSealedHeaderSize + plaintext.size() + kTagSize);
    w.u8(static_cast<std::uint8_t>(RecordKind::Sealed));
    w.u64(counter);
    w.bytes(plaintext);
    Bytes record = w.take();
    record.resize(record.size() + kTagSize);
    auto header = ByteView(record).first(kSealedHeaderSize);
    std::byte* body = record.data() + kSealedHeaderSize;
    if (!start(send_.get(), sendDirection_, counter, header) ||
        gcry_cipher_final(send_.get()) ||
        gcry_cipher_encrypt(send_.get(), body, plaintext.size(), nullptr, 0) ||
        gcry_cipher_gettag(send_.get(), body + plaintext.size(), kTagSize)) {
        return Failure{CryptoError::Internal};
    }
    return record;
}

Result<Bytes, CryptoError> E2eChannel::open(ByteView record) {
    ByteReader r(record);
    auto kind = r.u8();
    auto counter = r.u64();
    if (!kind || !counter || *kind != static_cast<std::uint8_t>(RecordKind::Sealed) ||
        r.remaining() < kTagSize) {
        return Failure{CryptoError::MalformedRecord};
    }
    auto rest = r.rest();
    auto ciphertext = rest.first(rest.size() - kTagSize);
    auto tag = rest.last(kTagSize);
    if (*counter <= lastReceivedCounter_) return Failure{CryptoError::Replay};
    Bytes plaintext(ciphertext.size());
    if (!start(receive_.get(), receiveDirection_, *counter, record.first(kSealedHeaderSize)) ||
        gcry_cipher_final(receive_.get()) ||
        gcry_cipher_decrypt(receive_.get(), plaintext.data(), plaintext.size(),
                            ciphertext.data(), ciphertext.size())) {
        return Failure{CryptoError::Internal};
    }
    if (gcry_cipher_checktag(receive_.get(), tag.data(), tag.size())) {
        return Failure{CryptoError::AuthenticationFailed};
    }
    lastReceivedCounter_ = *counter;  // only authenticated records advance the window
    return plaintext;
}

}  // namespace guru::crypto
