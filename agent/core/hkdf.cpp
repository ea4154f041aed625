// HKDF-SHA256 on top of libgcrypt's HMAC and SHA-256.
#include "core/hkdf.h"

#include "core/gcrypt_handles.h"

namespace guru::crypto {
namespace {

Result<Key256, CryptoError> hmac(ByteView key, std::initializer_list<ByteView> parts) {
    gcry_mac_hd_t raw = nullptr;
    if (gcry_mac_open(&raw, GCRY_MAC_HMAC_SHA256, 0, nullptr)) return Failure{CryptoError::Internal};
    Mac mac(raw);
    if (gcry_mac_setkey(mac.get(), key.data(), key.size())) return Failure{CryptoError::Internal};
    for (auto part : parts) {
        if (gcry_mac_write(mac.get(), part.data(), part.size())) {
            return Failure{CryptoError::Internal};
        }
    }
    Key256 out{};
    size_t len = out.size();
    if (gcry_mac_read(mac.get(), out.data(), &len) || len != out.size()) {
        return Failure{CryptoError::Internal};
    }
    return out;
}

}  // namespace

Result<Key256, CryptoError> hkdfSha256(ByteView ikm, ByteView salt, ByteView info) {
    if (!ensureInitialised()) return Failure{CryptoError::LibraryUnavailable};
    static constexpr Key256 kZeroSalt{};
    auto prk = hmac(salt.empty() ? ByteView(kZeroSalt) : salt, {ikm});  // extract
    if (!prk) return prk;
    static constexpr std::byte kBlockOne[1] = {std::byte{1}};
    return hmac(*prk, {info, ByteView(kBlockOne)});  // expand, T(1)
}

Key256 sha256(std::initializer_list<ByteView> parts) {
    ensureInitialised();
    Bytes all;
    for (auto p : parts) all.insert(all.end(), p.begin(), p.end());
    Key256 out{};
    gcry_md_hash_buffer(GCRY_MD_SHA256, out.data(), all.data(), all.size());
    return out;
}

}  // namespace guru::crypto
