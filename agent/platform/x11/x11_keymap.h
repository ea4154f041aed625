// Browser keyboard names → X keysyms. Pure functions of the strings: no X connection.
#pragma once

#include <X11/X.h>

#include <optional>
#include <string_view>

namespace guru::platform::x11 {

/// Keysym for a named KeyboardEvent.key ("Enter", "ArrowLeft", "F5", "Shift", ...).
std::optional<KeySym> keysymForNamedKey(std::string_view key);

/// Keysym for a KeyboardEvent.code on a US layout ("KeyA" → a, "ShiftLeft" → Shift_L).
std::optional<KeySym> keysymForCode(std::string_view code);

/// Keysym that produces one Unicode character: Latin-1 and a few legacy keysyms directly,
/// anything else as a Unicode keysym (0x01000000 + code point).
std::optional<KeySym> keysymForCharacter(char32_t codepoint);

/// The single code point of a UTF-8 string, if it holds exactly one.
std::optional<char32_t> singleCodepoint(std::string_view utf8);

}  // namespace guru::platform::x11
