// The trailer key slot (docs/support.md §4): 40 bytes in every agent binary, an 8-byte
// magic and 32 zero bytes, where the server writes its Ed25519 public key before it appends
// a signed support trailer. The magic exists once in a binary: the array below is its only
// copy, and the search reads the magic back from it instead of spelling it out again.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/byte_reader.h"
#include "core/result.h"

/// The slot itself. `volatile` so that no read of it is folded into an immediate (which
/// would put a second copy of the magic into the code), and so that the code that reads it
/// keeps it linked in every build, stripped or not.
extern "C" const volatile unsigned char guru_trailer_key_slot[40];

namespace guru::support {

/// Length of the slot's magic.
inline constexpr std::size_t kKeySlotMagicSize = 8;
/// Length of an Ed25519 public key, the rest of the slot.
inline constexpr std::size_t kPublicKeySize = 32;
/// The whole slot.
inline constexpr std::size_t kKeySlotSize = kKeySlotMagicSize + kPublicKeySize;

/// An Ed25519 public key as it sits in the slot.
using PublicKey = std::array<std::byte, kPublicKeySize>;

/// Why no key came out of a binary's slot.
enum class KeySlotError : std::uint8_t {
    Missing,    // no slot: not a GuruConnect agent of this version
    Ambiguous,  // more than one: which one the server stamped is unknowable
};

/// The slot's magic, read from this program's own slot.
std::array<std::byte, kKeySlotMagicSize> keySlotMagic();

/// The key in the single slot of `binary`; only whole slots (magic and 32 bytes) count.
Result<PublicKey, KeySlotError> findKeySlot(ByteView binary);

/// True for the stock binary's slot, which no server has stamped.
bool isUnstamped(const PublicKey& key);

}  // namespace guru::support
