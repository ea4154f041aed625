// Ed25519 verification of the support trailer's signature (docs/support.md §4), with
// libgcrypt: the same library as the E2E channel, linked statically into the Windows build.
#pragma once

#include <cstdint>

#include "core/byte_reader.h"

namespace guru::support {

/// Length of an Ed25519 signature (R and S).
inline constexpr std::size_t kSignatureSize = 64;

/// The outcome of checking one signature.
enum class SignatureCheck : std::uint8_t {
    Valid,
    Invalid,      // wrong key, altered message or signature, or a malformed key or signature
    Unavailable,  // libgcrypt could not be initialised
};

/// Checks a pure Ed25519 (RFC 8032) signature of `message` under the 32-byte `publicKey`.
SignatureCheck verifyEd25519(ByteView publicKey, ByteView message, ByteView signature);

}  // namespace guru::support
