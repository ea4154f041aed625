// Access to the shared protocol test vectors (protocol/vectors/*.json) and hex helpers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/byte_reader.h"

namespace guru::test {

/// Parses protocol/vectors/<name>; fails the calling test if missing or invalid.
nlohmann::json loadVectors(std::string_view name);

/// Lower-case hex of bytes.
std::string toHex(ByteView bytes);

/// Bytes of a hex string (must be valid, even length).
Bytes fromHex(std::string_view hex);

}  // namespace guru::test
