// Zeroes secret bytes (keys, seeds, handover offers) in a way the compiler may not drop as a
// dead store: every byte is written through a volatile pointer.
#pragma once

#include <cstddef>
#include <span>

namespace guru {

/// Overwrites `bytes` with zeros; for secrets whose buffer is about to be freed or reused.
inline void secureWipe(std::span<std::byte> bytes) {
    volatile std::byte* p = bytes.data();
    for (std::size_t i = 0; i < bytes.size(); ++i) p[i] = std::byte{0};
}

}  // namespace guru
