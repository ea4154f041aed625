// E2E records: AES-256-GCM with per-stream counter nonces; see e2e_channel.h and
// docs/protocol.md §3.3–3.5.
#include "core/e2e_channel.h"

#include <limits>

namespace guru::crypto {
namespace {

constexpr std::string_view kInfoAgentToViewer = "guruconnect e2e v2 agent-to-viewer";
constexpr std::string_view kInfoViewerToAgent = "guruconnect e2e v2 viewer-to-agent";
constexpr std::string_view kSasLabel = "GuruConnect E2E v2 sas";

// The nonce's first word: which key and which counter space. Every (key, nonce) pair is
// used once: the streams of one direction share its key but never a nonce.
constexpr std::uint32_t kNonceAgentOrdered = 1;
constexpr std::uint32_t kNonceViewerOrdered = 2;
constexpr std::uint32_t kNonceAgentPicture = 3;

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

std::array<std::byte, 12> nonceFor(std::uint32_t space, std::uint64_t counter) {
    ByteWriter w(12);
    w.u32(space);
    w.u64(counter);
    auto bytes = w.take();
    std::array<std::byte, 12> nonce{};
    std::copy(bytes.begin(), bytes.end(), nonce.begin());
    return nonce;
}

std::uint32_t nonceSpace(Role sender, RecordStream stream) {
    if (stream == RecordStream::Picture) return kNonceAgentPicture;
    return sender == Role::Agent ? kNonceAgentOrdered : kNonceViewerOrdered;
}

bool start(gcry_cipher_hd_t h, std::uint32_t space, std::uint64_t counter, ByteView aad) {
    auto nonce = nonceFor(space, counter);
    return !gcry_cipher_reset(h) && !gcry_cipher_setiv(h, nonce.data(), nonce.size()) &&
           !gcry_cipher_authenticate(h, aad.data(), aad.size());
}

}  // namespace

Result<SessionKeys, CryptoError> deriveSessionKeys(const SharedSecret& secret, const Key256& transcriptHash) {
    SessionKeys keys;
    keys.transcriptHash = transcriptHash;
    auto a2v = hkdfSha256(secret, transcriptHash, asBytes(kInfoAgentToViewer));
    auto v2a = hkdfSha256(secret, transcriptHash, asBytes(kInfoViewerToAgent));
    if (!a2v) return Failure{a2v.error()};
    if (!v2a) return Failure{v2a.error()};
    keys.agentToViewer = *a2v;
    keys.viewerToAgent = *v2a;
    return keys;
}

std::string shortAuthString(const Key256& transcriptHash) {
    const Key256 digest = sha256({asBytes(kSasLabel), transcriptHash});
    std::uint32_t word = 0;
    for (std::size_t i = 0; i < 4; ++i) word = (word << 8) | static_cast<std::uint32_t>(digest[i]);
    std::string digits = std::to_string(word % 1000000);
    digits.insert(0, 6 - digits.size(), '0');
    return digits.substr(0, 3) + " " + digits.substr(3);
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

Result<E2eChannel, CryptoError> E2eChannel::fromKeys(Role role, const SessionKeys& keys) {
    bool agent = role == Role::Agent;
    auto send = openCipher(agent ? keys.agentToViewer : keys.viewerToAgent);
    auto receive = openCipher(agent ? keys.viewerToAgent : keys.agentToViewer);
    if (!send || !receive) return Failure{CryptoError::Internal};
    return E2eChannel(role, std::move(*send), std::move(*receive), crypto::shortAuthString(keys.transcriptHash));
}

Result<Bytes, CryptoError> E2eChannel::seal(ByteView message, RecordStream stream, std::size_t padTo) {
    if (stream == RecordStream::Picture && role_ != Role::Agent) return Failure{CryptoError::UnexpectedRecord};
    Counters& counters = stream == RecordStream::Picture ? picture_ : ordered_;
    if (counters.nextSend == std::numeric_limits<std::uint64_t>::max()) {
        return Failure{CryptoError::CounterExhausted};
    }
    const std::size_t unpadded = kPaddingHeaderSize + message.size();
    const std::size_t padding = padTo > unpadded ? padTo - unpadded : 0;
    if (padding > 0xFFFF) return Failure{CryptoError::Internal};
    const std::uint64_t counter = counters.nextSend++;
    const std::size_t plainSize = unpadded + padding;
    ByteWriter w(kSealedHeaderSize + plainSize + kTagSize);
    w.u8(static_cast<std::uint8_t>(stream == RecordStream::Picture ? RecordKind::SealedPicture : RecordKind::Sealed));
    w.u64(counter);
    w.u16(static_cast<std::uint16_t>(padding));
    w.bytes(message);
    Bytes record = w.take();
    record.resize(kSealedHeaderSize + plainSize + kTagSize);  // zero padding, then room for the tag
    auto header = ByteView(record).first(kSealedHeaderSize);
    std::byte* body = record.data() + kSealedHeaderSize;
    if (!start(send_.get(), nonceSpace(role_, stream), counter, header) || gcry_cipher_final(send_.get()) ||
        gcry_cipher_encrypt(send_.get(), body, plainSize, nullptr, 0) ||
        gcry_cipher_gettag(send_.get(), body + plainSize, kTagSize)) {
        return Failure{CryptoError::Internal};
    }
    return record;
}

Result<OpenedRecord, CryptoError> E2eChannel::open(ByteView record) {
    if (broken_) return Failure{CryptoError::MissingRecord};
    ByteReader r(record);
    auto kind = r.u8();
    auto counter = r.u64();
    if (!kind || !counter || r.remaining() < kTagSize) return Failure{CryptoError::MalformedRecord};
    RecordStream stream;
    if (*kind == static_cast<std::uint8_t>(RecordKind::Sealed)) {
        stream = RecordStream::Ordered;
    } else if (*kind == static_cast<std::uint8_t>(RecordKind::SealedPicture)) {
        // Pictures only travel to the viewer: the agent never lets input skip counters.
        if (role_ != Role::Viewer) return Failure{CryptoError::UnexpectedRecord};
        stream = RecordStream::Picture;
    } else {
        return Failure{CryptoError::MalformedRecord};
    }
    Counters& counters = stream == RecordStream::Picture ? picture_ : ordered_;
    auto rest = r.rest();
    auto ciphertext = rest.first(rest.size() - kTagSize);
    auto tag = rest.last(kTagSize);
    if (*counter <= counters.lastReceived) return Failure{CryptoError::Replay};
    const Role sender = role_ == Role::Agent ? Role::Viewer : Role::Agent;
    Bytes plaintext(ciphertext.size());
    if (!start(receive_.get(), nonceSpace(sender, stream), *counter, record.first(kSealedHeaderSize)) ||
        gcry_cipher_final(receive_.get()) ||
        gcry_cipher_decrypt(receive_.get(), plaintext.data(), plaintext.size(), ciphertext.data(),
                            ciphertext.size())) {
        return Failure{CryptoError::Internal};
    }
    if (gcry_cipher_checktag(receive_.get(), tag.data(), tag.size())) {
        return Failure{CryptoError::AuthenticationFailed};  // a forgery moves no counter
    }
    if (stream == RecordStream::Ordered && *counter != counters.lastReceived + 1) {
        // Authentic, but one before it never came: the relay deleted it. No later record can
        // make up for that, so the channel ends here.
        broken_ = true;
        return Failure{CryptoError::MissingRecord};
    }
    counters.lastReceived = *counter;
    ByteReader plain(plaintext);
    auto padding = plain.u16();
    if (!padding || *padding > plain.remaining()) return Failure{CryptoError::BadPadding};
    auto body = plain.rest();
    auto message = body.first(body.size() - *padding);
    for (std::byte b : body.last(*padding)) {
        if (b != std::byte{0}) return Failure{CryptoError::BadPadding};
    }
    return OpenedRecord{stream, Bytes(message.begin(), message.end())};
}

}  // namespace guru::crypto
