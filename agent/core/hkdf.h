// HKDF-SHA256 (RFC 5869); libgcrypt 1.10 has no HKDF, so this composes its HMAC.
#pragma once

#include <array>

#include "core/byte_reader.h"
#include "core/crypto_error.h"
#include "core/result.h"

namespace guru::crypto {

/// A 256-bit symmetric key.
using Key256 = std::array<std::byte, 32>;

/// HKDF-SHA256 producing exactly 32 bytes (one expand block).
Result<Key256, CryptoError> hkdfSha256(ByteView ikm, ByteView salt, ByteView info);

/// SHA-256 of the concatenation of the given parts.
Key256 sha256(std::initializer_list<ByteView> parts);

}  // namespace guru::crypto
