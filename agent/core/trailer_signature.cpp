// Ed25519 verification through libgcrypt's EdDSA (trailer_signature.h).
//
// libgcrypt 1.10 aborts the process ("mulm_25519: different sizes") when a point it decodes
// has a coordinate below 2^192 (2^224 with 32-bit limbs): the identity point, a key of a few
// nonzero bytes, or a point with x = 2 all do (found by fuzz_support_trailer). A forged
// trailer must give BadSignature, not a crash, so every point (the key and R) is decompressed
// here first with plain modular arithmetic, and refused unless both coordinates are at least
// 2^224. An honest key or R falls below with probability about 2^-31.
#include "core/trailer_signature.h"

#include <algorithm>
#include <array>

#include "core/gcrypt_handles.h"

namespace guru::support {
namespace {

crypto::Mpi fromHex(const char* hex) {
    gcry_mpi_t raw = nullptr;
    if (gcry_mpi_scan(&raw, GCRYMPI_FMT_HEX, hex, 0, nullptr)) return crypto::Mpi();
    return crypto::Mpi(raw);
}

crypto::Mpi fresh() { return crypto::Mpi(gcry_mpi_new(0)); }

// True if the 32-byte encoding is a canonical curve point with x and y both ≥ 2^224.
bool decodableSafely(ByteView encoded) {
    if (encoded.size() != 32) return false;
    std::array<unsigned char, 32> bigEndian{};
    for (std::size_t i = 0; i < 32; ++i) bigEndian[31 - i] = static_cast<unsigned char>(encoded[i]);
    const bool xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7F;
    gcry_mpi_t raw = nullptr;
    if (gcry_mpi_scan(&raw, GCRYMPI_FMT_USG, bigEndian.data(), bigEndian.size(), nullptr)) return false;
    const crypto::Mpi y(raw);
    const auto p = fromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
    const auto d = fromHex("52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3");
    const auto sqrtMinusOne = fromHex("2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0");
    const auto exponent = fromHex("0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe");
    const auto floor = fromHex("0100000000000000000000000000000000000000000000000000000000");  // 2^224
    if (!p || !d || !sqrtMinusOne || !exponent || !floor) return false;
    if (gcry_mpi_cmp(y.get(), p.get()) >= 0 || gcry_mpi_cmp(y.get(), floor.get()) < 0) return false;

    // x² = (y² − 1) / (d·y² + 1) mod p; x = (x²)^((p+3)/8), times √−1 if that squares to −x².
    auto one = crypto::Mpi(gcry_mpi_set_ui(nullptr, 1));
    auto y2 = fresh(), u = fresh(), v = fresh(), x2 = fresh(), x = fresh(), check = fresh();
    gcry_mpi_mulm(y2.get(), y.get(), y.get(), p.get());
    gcry_mpi_subm(u.get(), y2.get(), one.get(), p.get());
    gcry_mpi_mulm(v.get(), d.get(), y2.get(), p.get());
    gcry_mpi_addm(v.get(), v.get(), one.get(), p.get());
    if (!gcry_mpi_invm(v.get(), v.get(), p.get())) return false;
    gcry_mpi_mulm(x2.get(), u.get(), v.get(), p.get());
    gcry_mpi_powm(x.get(), x2.get(), exponent.get(), p.get());
    gcry_mpi_mulm(check.get(), x.get(), x.get(), p.get());
    if (gcry_mpi_cmp(check.get(), x2.get()) != 0) {
        gcry_mpi_mulm(x.get(), x.get(), sqrtMinusOne.get(), p.get());
        gcry_mpi_mulm(check.get(), x.get(), x.get(), p.get());
        if (gcry_mpi_cmp(check.get(), x2.get()) != 0) return false;  // not on the curve
    }
    if (gcry_mpi_test_bit(x.get(), 0) != xOdd) gcry_mpi_sub(x.get(), p.get(), x.get());
    return gcry_mpi_cmp(x.get(), floor.get()) >= 0;
}

}  // namespace

SignatureCheck verifyEd25519(ByteView publicKey, ByteView message, ByteView signature) {
    if (!crypto::ensureInitialised()) return SignatureCheck::Unavailable;
    if (publicKey.size() != 32 || signature.size() != kSignatureSize || message.empty()) {
        return SignatureCheck::Invalid;
    }
    if (!decodableSafely(publicKey) || !decodableSafely(signature.first(32))) return SignatureCheck::Invalid;
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(public-key (ecc (curve Ed25519) (flags eddsa) (q %b)))",
                        static_cast<int>(publicKey.size()), publicKey.data())) {
        return SignatureCheck::Invalid;
    }
    crypto::Sexp key(raw);
    raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(sig-val (eddsa (r %b) (s %b)))", 32, signature.data(), 32,
                        signature.data() + 32)) {
        return SignatureCheck::Invalid;
    }
    crypto::Sexp sig(raw);
    raw = nullptr;
    // "hash-algo sha512" with the eddsa flag is pure Ed25519: the message itself, not a digest.
    if (gcry_sexp_build(&raw, nullptr, "(data (flags eddsa) (hash-algo sha512) (value %b))",
                        static_cast<int>(message.size()), message.data())) {
        return SignatureCheck::Invalid;
    }
    crypto::Sexp data(raw);
    return gcry_pk_verify(sig.get(), data.get(), key.get()) == 0 ? SignatureCheck::Valid
                                                                  : SignatureCheck::Invalid;
}

}  // namespace guru::support
