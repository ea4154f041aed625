// P-256 ECDH with libgcrypt: key generation, fixed keys, and key agreement.
#include "core/ecdh_key.h"

#include <algorithm>

namespace guru::crypto {
namespace {

constexpr const char* kCurve = "NIST P-256";

// Copies a 65-byte 0x04-prefixed point out of an MPI (opaque or plain).
std::optional<PublicKey> pointFromMpi(gcry_mpi_t m) {
    PublicKey out{};
    if (gcry_mpi_get_flag(m, GCRYMPI_FLAG_OPAQUE)) {
        unsigned int nbits = 0;
        auto* p = static_cast<const std::byte*>(gcry_mpi_get_opaque(m, &nbits));
        if (!p || nbits != 65 * 8) return std::nullopt;
        std::copy(p, p + 65, out.begin());
    } else {
        size_t written = 0;
        if (gcry_mpi_print(GCRYMPI_FMT_USG, reinterpret_cast<unsigned char*>(out.data()),
                           out.size(), &written, m) || written != 65) {
            return std::nullopt;
        }
    }
    if (out[0] != std::byte{0x04}) return std::nullopt;
    return out;
}

std::optional<PublicKey> publicFromKey(gcry_sexp_t key) {
    Sexp q(gcry_sexp_find_token(key, "q", 0));
    if (!q) return std::nullopt;
    size_t len = 0;
    const char* data = gcry_sexp_nth_data(q.get(), 1, &len);
    if (!data || len != 65 || data[0] != 0x04) return std::nullopt;
    PublicKey out{};
    std::copy_n(reinterpret_cast<const std::byte*>(data), 65, out.begin());
    return out;
}

}  // namespace

Result<EcdhKeyPair, CryptoError> EcdhKeyPair::generate() {
    if (!ensureInitialised()) return Failure{CryptoError::LibraryUnavailable};
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(genkey (ecc (curve %s)))", kCurve)) {
        return Failure{CryptoError::Internal};
    }
    Sexp params(raw);
    gcry_sexp_t keyRaw = nullptr;
    if (gcry_pk_genkey(&keyRaw, params.get())) return Failure{CryptoError::Internal};
    Sexp pair(keyRaw);
    Sexp priv(gcry_sexp_find_token(pair.get(), "private-key", 0));
    if (!priv) return Failure{CryptoError::Internal};
    auto pub = publicFromKey(priv.get());
    if (!pub) return Failure{CryptoError::Internal};
    return EcdhKeyPair(std::move(priv), *pub);
}

Result<EcdhKeyPair, CryptoError> EcdhKeyPair::fromPrivate(ByteView scalar) {
    if (!ensureInitialised()) return Failure{CryptoError::LibraryUnavailable};
    if (scalar.size() != 32) return Failure{CryptoError::InvalidPrivateKey};
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(private-key (ecc (curve %s) (d %b)))", kCurve,
                        static_cast<int>(scalar.size()), scalar.data())) {
        return Failure{CryptoError::InvalidPrivateKey};
    }
    Sexp dOnly(raw);
    gcry_ctx_t ctxRaw = nullptr;
    if (gcry_mpi_ec_new(&ctxRaw, dOnly.get(), nullptr)) return Failure{CryptoError::Internal};
    EcContext ctx(ctxRaw);
    Mpi d(gcry_mpi_ec_get_mpi("d", ctx.get(), 1));
    Mpi n(gcry_mpi_ec_get_mpi("n", ctx.get(), 1));
    if (!d || !n || gcry_mpi_cmp_ui(d.get(), 0) == 0 || gcry_mpi_cmp(d.get(), n.get()) >= 0) {
        return Failure{CryptoError::InvalidPrivateKey};
    }
    Mpi q(gcry_mpi_ec_get_mpi("q", ctx.get(), 1));  // computes d·G
    if (!q) return Failure{CryptoError::Internal};
    auto pub = pointFromMpi(q.get());
    if (!pub) return Failure{CryptoError::Internal};
    gcry_sexp_t fullRaw = nullptr;
    if (gcry_sexp_build(&fullRaw, nullptr, "(private-key (ecc (curve %s) (q %b) (d %b)))",
                        kCurve, 65, pub->data(), static_cast<int>(scalar.size()),
                        scalar.data())) {
        return Failure{CryptoError::Internal};
    }
    return EcdhKeyPair(Sexp(fullRaw), *pub);
}

Result<EcdhKeyPair, CryptoError> EcdhKeyPair::copy() const {
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "%S", key_.get())) return Failure{CryptoError::Internal};
    return EcdhKeyPair(Sexp(raw), public_);
}

Result<SharedSecret, CryptoError> EcdhKeyPair::agree(ByteView peer) const {
    if (peer.size() != 65 || peer[0] != std::byte{0x04}) {
        return Failure{CryptoError::InvalidPublicKey};
    }
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(enc-val (ecdh (e %b)))", 65, peer.data())) {
        return Failure{CryptoError::InvalidPublicKey};
    }
    Sexp data(raw);
    gcry_sexp_t resultRaw = nullptr;
    // libgcrypt checks that the peer point lies on the curve before multiplying.
    if (gcry_pk_decrypt(&resultRaw, data.get(), key_.get())) {
        return Failure{CryptoError::InvalidPublicKey};
    }
    Sexp result(resultRaw);
    Sexp value(gcry_sexp_find_token(result.get(), "value", 0));
    if (!value) return Failure{CryptoError::KeyAgreementFailed};
    size_t len = 0;
    const char* point = gcry_sexp_nth_data(value.get(), 1, &len);
    if (!point || len != 65 || point[0] != 0x04) return Failure{CryptoError::KeyAgreementFailed};
    SharedSecret secret{};
    std::copy_n(reinterpret_cast<const std::byte*>(point) + 1, 32, secret.begin());
    return secret;
}

}  // namespace guru::crypto
