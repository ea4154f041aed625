// Ed25519 identity keys with libgcrypt's EdDSA (identity_key.h).
#include "core/identity_key.h"

#include <algorithm>

namespace guru::crypto {
namespace {

// The 32 bytes of `name` ("r" or "s") of a signature S-expression, left-padded: libgcrypt
// strips leading zero bytes from the values it returns.
bool copyPart(gcry_sexp_t signature, const char* name, std::byte* out) {
    Sexp part(gcry_sexp_find_token(signature, name, 0));
    if (!part) return false;
    std::size_t length = 0;
    const char* data = gcry_sexp_nth_data(part.get(), 1, &length);
    if (!data || length > 32) return false;
    std::fill_n(out, 32 - length, std::byte{0});
    std::copy_n(reinterpret_cast<const std::byte*>(data), length, out + (32 - length));
    return true;
}

// The RFC 8032 public key of a seed: libgcrypt's EC context derives it from d (SHA-512 of
// the seed, clamped, times the base point) and "q@eddsa" returns it in the 32-byte encoding.
std::optional<IdentityPublicKey> derivePublic(ByteView seed) {
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(private-key (ecc (curve Ed25519) (flags eddsa) (d %b)))",
                        static_cast<int>(seed.size()), seed.data())) {
        return std::nullopt;
    }
    Sexp dOnly(raw);
    gcry_ctx_t ctxRaw = nullptr;
    if (gcry_mpi_ec_new(&ctxRaw, dOnly.get(), nullptr)) return std::nullopt;
    EcContext ctx(ctxRaw);
    Mpi q(gcry_mpi_ec_get_mpi("q@eddsa", ctx.get(), 1));
    if (!q || !gcry_mpi_get_flag(q.get(), GCRYMPI_FLAG_OPAQUE)) return std::nullopt;
    unsigned int bits = 0;
    const auto* encoded = static_cast<const std::byte*>(gcry_mpi_get_opaque(q.get(), &bits));
    if (!encoded || bits != 32 * 8) return std::nullopt;
    IdentityPublicKey out{};
    std::copy_n(encoded, out.size(), out.begin());
    return out;
}

}  // namespace

Result<IdentityKey, CryptoError> IdentityKey::generate() {
    if (!ensureInitialised()) return Failure{CryptoError::LibraryUnavailable};
    IdentitySeed seed{};
    gcry_randomize(seed.data(), seed.size(), GCRY_VERY_STRONG_RANDOM);
    auto key = fromSeed(seed);
    std::fill(seed.begin(), seed.end(), std::byte{0});
    return key;
}

Result<IdentityKey, CryptoError> IdentityKey::fromSeed(ByteView seed) {
    if (!ensureInitialised()) return Failure{CryptoError::LibraryUnavailable};
    if (seed.size() != IdentitySeed{}.size()) return Failure{CryptoError::InvalidPrivateKey};
    const auto pub = derivePublic(seed);
    if (!pub) return Failure{CryptoError::Internal};
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr,
                        "(private-key (ecc (curve Ed25519) (flags eddsa) (q %b) (d %b)))",
                        static_cast<int>(pub->size()), pub->data(), static_cast<int>(seed.size()),
                        seed.data())) {
        return Failure{CryptoError::Internal};
    }
    IdentitySeed copy{};
    std::copy_n(seed.begin(), copy.size(), copy.begin());
    return IdentityKey(Sexp(raw), copy, *pub);
}

IdentityKey::~IdentityKey() {
    // Best effort: the S-expression's own copy is released (not wiped) by libgcrypt.
    volatile std::byte* p = seed_.data();
    for (std::size_t i = 0; i < seed_.size(); ++i) p[i] = std::byte{0};
}

Result<IdentitySignature, CryptoError> IdentityKey::sign(ByteView message) const {
    if (!key_) return Failure{CryptoError::InvalidPrivateKey};  // moved from
    gcry_sexp_t raw = nullptr;
    // "hash-algo sha512" with the eddsa flag is pure Ed25519: the message itself, not a digest.
    if (gcry_sexp_build(&raw, nullptr, "(data (flags eddsa) (hash-algo sha512) (value %b))",
                        static_cast<int>(message.size()), message.data())) {
        return Failure{CryptoError::Internal};
    }
    Sexp data(raw);
    raw = nullptr;
    if (gcry_pk_sign(&raw, data.get(), key_.get())) return Failure{CryptoError::Internal};
    Sexp signature(raw);
    IdentitySignature out{};
    if (!copyPart(signature.get(), "r", out.data()) || !copyPart(signature.get(), "s", out.data() + 32)) {
        return Failure{CryptoError::Internal};
    }
    return out;
}

}  // namespace guru::crypto
