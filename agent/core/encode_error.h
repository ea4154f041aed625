// Typed errors of the tile encoders.
#pragma once

#include <cstdint>

namespace guru {

/// Why an encoder could not produce a tile.
enum class EncodeError : std::uint8_t { InvalidImage, LibraryFailure };

}  // namespace guru
