// P-256 ECDH key pairs in the shapes WebCrypto uses (raw 65-byte points, 32-byte x secret).
#pragma once

#include <array>

#include "core/byte_reader.h"
#include "core/crypto_error.h"
#include "core/gcrypt_handles.h"
#include "core/result.h"

namespace guru::crypto {

/// Uncompressed SEC1 point: 0x04 || X || Y.
using PublicKey = std::array<std::byte, 65>;
/// ECDH shared secret: the x coordinate of d·Q (what WebCrypto deriveBits(256) returns).
using SharedSecret = std::array<std::byte, 32>;

/// An ephemeral (or, for test vectors, fixed) P-256 key pair.
class EcdhKeyPair {
public:
    /// Fresh random key pair from libgcrypt's CSPRNG.
    static Result<EcdhKeyPair, CryptoError> generate();
    /// Key pair from a fixed 32-byte big-endian scalar (test vectors only).
    static Result<EcdhKeyPair, CryptoError> fromPrivate(ByteView scalar);

    /// A second, independent owner of the same key pair (its S-expression copied, d·G not
    /// derived again): one fixed key for many handshakes (the fuzz target). Sessions use generate().
    Result<EcdhKeyPair, CryptoError> copy() const;

    const PublicKey& publicKey() const { return public_; }

    /// d·peer; rejects points that are malformed or not on the curve.
    Result<SharedSecret, CryptoError> agree(ByteView peerPublic) const;

private:
    EcdhKeyPair(Sexp key, PublicKey pub) : key_(std::move(key)), public_(pub) {}

    Sexp key_;  // (private-key (ecc (curve "NIST P-256") (q ...) (d ...)))
    PublicKey public_{};
};

}  // namespace guru::crypto
