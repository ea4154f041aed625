// Pure keyboard-name → keysym mapping and UTF-8 decoding (no X server needed).
#include <doctest/doctest.h>  // before X11 headers, whose macros clash with it

#include <X11/keysym.h>

#include "platform/x11/x11_keymap.h"

using namespace guru::platform::x11;

TEST_CASE("KeyboardEvent.code values map to US-layout keysyms") {
    CHECK(keysymForCode("KeyA") == KeySym{XK_a});
    CHECK(keysymForCode("KeyZ") == KeySym{XK_z});
    CHECK(keysymForCode("Digit0") == KeySym{XK_0});
    CHECK(keysymForCode("Numpad7") == KeySym{XK_KP_7});
    CHECK(keysymForCode("ShiftRight") == KeySym{XK_Shift_R});
    CHECK(keysymForCode("AltRight") == KeySym{XK_ISO_Level3_Shift});
    CHECK(keysymForCode("Backquote") == KeySym{XK_grave});
    CHECK(keysymForCode("F12") == KeySym{XK_F12});
    CHECK(keysymForCode("ArrowUp") == KeySym{XK_Up});
    CHECK_FALSE(keysymForCode("Key").has_value());
    CHECK_FALSE(keysymForCode("Keya").has_value());
    CHECK_FALSE(keysymForCode("Digit").has_value());
    CHECK_FALSE(keysymForCode("").has_value());
}

TEST_CASE("named KeyboardEvent.key values") {
    CHECK(keysymForNamedKey("Enter") == KeySym{XK_Return});
    CHECK(keysymForNamedKey("PageDown") == KeySym{XK_Next});
    CHECK(keysymForNamedKey("F1") == KeySym{XK_F1});
    CHECK(keysymForNamedKey("F24") == KeySym{XK_F24});
    CHECK_FALSE(keysymForNamedKey("F25").has_value());
    CHECK_FALSE(keysymForNamedKey("F0").has_value());
    CHECK_FALSE(keysymForNamedKey("F1x").has_value());
    CHECK_FALSE(keysymForNamedKey("Unidentified").has_value());
}

TEST_CASE("characters to keysyms") {
    CHECK(keysymForCharacter(U'a') == KeySym{XK_a});
    CHECK(keysymForCharacter(U'@') == KeySym{XK_at});
    CHECK(keysymForCharacter(U'é') == KeySym{XK_eacute});
    CHECK(keysymForCharacter(U'ß') == KeySym{XK_ssharp});
    CHECK(keysymForCharacter(U'€') == KeySym{XK_EuroSign});
    CHECK(keysymForCharacter(U'世') == KeySym{0x01004E16});
    CHECK_FALSE(keysymForCharacter(U'\n').has_value());
    CHECK_FALSE(keysymForCharacter(0x110000).has_value());
}

TEST_CASE("singleCodepoint decodes exactly one valid UTF-8 character") {
    CHECK(singleCodepoint("a") == U'a');
    CHECK(singleCodepoint("é") == U'é');
    CHECK(singleCodepoint("€") == U'€');
    CHECK(singleCodepoint("😀") == U'😀');
    CHECK_FALSE(singleCodepoint("").has_value());
    CHECK_FALSE(singleCodepoint("ab").has_value());
    CHECK_FALSE(singleCodepoint("Enter").has_value());
    CHECK_FALSE(singleCodepoint("\xC3").has_value());          // truncated
    CHECK_FALSE(singleCodepoint("\xC0\x80").has_value());      // overlong NUL
    CHECK_FALSE(singleCodepoint("\xED\xA0\x80").has_value());  // surrogate
    CHECK_FALSE(singleCodepoint("\xF4\x90\x80\x80").has_value());  // > U+10FFFF
    CHECK_FALSE(singleCodepoint("\x80").has_value());
}
