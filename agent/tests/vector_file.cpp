// Vector file loading and hex conversion.
#include "tests/vector_file.h"

#include <doctest/doctest.h>

#include <fstream>

namespace guru::test {

nlohmann::json loadVectors(std::string_view name) {
    std::string path = std::string(GURU_VECTORS_DIR) + "/" + std::string(name);
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    return nlohmann::json::parse(in);
}

std::string toHex(ByteView bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::byte b : bytes) {
        out.push_back(kHex[std::to_integer<unsigned>(b) >> 4]);
        out.push_back(kHex[std::to_integer<unsigned>(b) & 0xF]);
    }
    return out;
}

Bytes fromHex(std::string_view hex) {
    REQUIRE(hex.size() % 2 == 0);
    auto nibble = [](char c) -> unsigned {
        if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
        FAIL("bad hex digit");
        return 0;
    };
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = std::byte((nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]));
    }
    return out;
}

}  // namespace guru::test
