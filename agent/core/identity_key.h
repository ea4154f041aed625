// The agent's long-term Ed25519 identity key (docs/protocol.md §1.3): it proves the agent to
// the server (AgentChallenge/AgentProof) and signs the agent's KeyShares. libgcrypt, the same
// library as the E2E channel; verification is support::verifyEd25519 (trailer_signature.h).
#pragma once

#include <array>

#include "core/byte_reader.h"
#include "core/crypto_error.h"
#include "core/gcrypt_handles.h"
#include "core/result.h"

namespace guru::crypto {

/// An Ed25519 public key (RFC 8032 encoding).
using IdentityPublicKey = std::array<std::byte, 32>;
/// An Ed25519 signature: R ‖ S.
using IdentitySignature = std::array<std::byte, 64>;
/// The 32-byte RFC 8032 secret seed, from which the key pair is derived.
using IdentitySeed = std::array<std::byte, 32>;

/// The agent's long-term Ed25519 identity (docs/protocol.md): proves the agent to the server and signs its KeyShares.
class IdentityKey {
public:
    /// A fresh key from libgcrypt's CSPRNG (GCRY_VERY_STRONG_RANDOM).
    static Result<IdentityKey, CryptoError> generate();
    /// The key pair of a 32-byte RFC 8032 seed (a persisted key, or a test vector).
    static Result<IdentityKey, CryptoError> fromSeed(ByteView seed);

    IdentityKey(IdentityKey&&) noexcept = default;
    IdentityKey& operator=(IdentityKey&&) noexcept = default;
    ~IdentityKey();

    const IdentityPublicKey& publicKey() const { return public_; }
    /// The secret seed, for persistence only (never on the wire, never logged).
    const IdentitySeed& seed() const { return seed_; }

    /// Pure Ed25519 (RFC 8032) signature of `message`; deterministic for a given key.
    Result<IdentitySignature, CryptoError> sign(ByteView message) const;

private:
    IdentityKey(Sexp key, const IdentitySeed& seed, const IdentityPublicKey& pub)
        : key_(std::move(key)), seed_(seed), public_(pub) {}

    Sexp key_;  // (private-key (ecc (curve Ed25519) (flags eddsa) (q ...) (d seed)))
    IdentitySeed seed_{};
    IdentityPublicKey public_{};
};

}  // namespace guru::crypto
