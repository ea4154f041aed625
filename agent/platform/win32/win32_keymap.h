// The viewer's KeyboardEvent.code (physical key) as a PC scancode for SendInput.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace guru::platform::win32 {

/// A key as SendInput wants it: a set-1 scancode (with the E0 prefix as `extended`), or,
/// for the few keys whose scancodes SendInput does not take (Pause, NumLock), a virtual key.
struct KeyStroke {
    std::uint16_t scancode = 0;
    bool extended = false;
    std::uint16_t virtualKey = 0;  // non-zero: use this instead of the scancode
};

/// The key for a DOM `code` ("KeyA", "ArrowLeft", "NumpadEnter"...).
std::optional<KeyStroke> strokeForCode(std::string_view code);
/// The key for a named DOM `key` value ("Enter", "Escape", "F5"...) when `code` is unknown.
std::optional<KeyStroke> strokeForNamedKey(std::string_view key);
/// The one Unicode code point that `utf8` holds, if it holds exactly one.
std::optional<char32_t> singleCodepoint(std::string_view utf8);

}  // namespace guru::platform::win32
