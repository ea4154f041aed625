// Test-only: what the server does to hand out a support agent (docs/support.md §4), with
// libgcrypt and the RFC 8032 test keys: stamp a key slot, sign the JSON, append the trailer.
// Shared by test_support_config and the support-trailer fuzz target.
#pragma once

#include <string_view>

#include "core/byte_reader.h"
#include "core/trailer_key_slot.h"

namespace guru::support::testing {

/// An Ed25519 key pair: the 32-byte secret seed and its public key.
struct TestKey {
    std::array<std::byte, 32> seed{};
    PublicKey publicKey{};
};

/// RFC 8032 §7.1 TEST 1 and TEST 2.
TestKey rfc8032Key1();
TestKey rfc8032Key2();

/// Bytes from hex digits (test constants only; no validation).
Bytes fromHex(std::string_view hex);

/// An Ed25519 signature of `message` (64 bytes), or empty if libgcrypt failed.
Bytes signEd25519(const TestKey& key, ByteView message);

/// A stand-in agent binary: `before` filler bytes, one key slot holding `key`, 300 more bytes.
Bytes binaryWithSlot(const PublicKey& key, std::size_t before = 300);

/// The key slot alone, holding `key`.
Bytes keySlot(const PublicKey& key);

/// `binary` followed by the trailer for `json`, signed with `signer`.
Bytes signedFile(Bytes binary, std::string_view json, const TestKey& signer);

}  // namespace guru::support::testing
