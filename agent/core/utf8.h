// UTF-8 well-formedness for text fields read from the network.
#pragma once

#include <cstdint>

#include "core/byte_reader.h"

namespace guru {

/// True if `text` is well-formed UTF-8: no stray continuation bytes, overlong forms,
/// surrogates or code points past U+10FFFF. Never reads past `text`.
inline bool isValidUtf8(ByteView text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byteAt = [&text](std::size_t at) { return std::to_integer<std::uint8_t>(text[at]); };
        const std::uint8_t lead = byteAt(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t min = 0, cp = 0;
        if ((lead & 0xE0) == 0xC0) { extra = 1; min = 0x80; cp = lead & 0x1Fu; }
        else if ((lead & 0xF0) == 0xE0) { extra = 2; min = 0x800; cp = lead & 0x0Fu; }
        else if ((lead & 0xF8) == 0xF0) { extra = 3; min = 0x10000; cp = lead & 0x07u; }
        else return false;
        if (extra >= text.size() - i) return false;  // the sequence runs past the end
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((byteAt(i + k) & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (byteAt(i + k) & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

}  // namespace guru
