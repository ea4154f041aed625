// The Ctrl+Alt+Del chord rule the Windows injector uses to call SendSAS instead of typing.
#include <doctest/doctest.h>

#include "core/secure_attention_chord.h"

using guru::isSecureAttentionChord;
using guru::inner::Key;
namespace mod = guru::inner;

TEST_CASE("the special-keys menu's Ctrl+Alt+Del is the chord, at its Delete key-down only") {
    // What input.js sendCombo('ctrlAltDel') sends: presses in order, releases in reverse.
    const std::uint8_t ctrlAlt = mod::Control | mod::Alt;
    CHECK_FALSE(isSecureAttentionChord({true, 0, "ControlLeft", "Control"}));
    CHECK_FALSE(isSecureAttentionChord({true, mod::Control, "AltLeft", "Alt"}));
    CHECK(isSecureAttentionChord({true, ctrlAlt, "Delete", "Delete"}));
    CHECK_FALSE(isSecureAttentionChord({false, ctrlAlt, "Delete", "Delete"}));
    CHECK_FALSE(isSecureAttentionChord({false, mod::Control, "AltLeft", "Alt"}));
    CHECK_FALSE(isSecureAttentionChord({false, 0, "ControlLeft", "Control"}));
}

TEST_CASE("Delete needs both Control and Alt; other modifiers and the keypad's Delete count") {
    CHECK_FALSE(isSecureAttentionChord({true, 0, "Delete", "Delete"}));
    CHECK_FALSE(isSecureAttentionChord({true, mod::Control, "Delete", "Delete"}));
    CHECK_FALSE(isSecureAttentionChord({true, mod::Alt, "Delete", "Delete"}));
    CHECK_FALSE(isSecureAttentionChord({true, mod::Control | mod::Alt, "Backspace", "Backspace"}));
    CHECK_FALSE(isSecureAttentionChord({true, mod::Control | mod::Alt, "KeyD", "d"}));
    CHECK(isSecureAttentionChord({true, mod::Control | mod::Alt | mod::Shift, "Delete", "Delete"}));
    CHECK(isSecureAttentionChord({true, mod::Control | mod::Alt | mod::AltGraph, "Delete", "Delete"}));
    CHECK(isSecureAttentionChord({true, mod::Control | mod::Alt, "NumpadDecimal", "Delete"}));
    CHECK(isSecureAttentionChord({true, mod::Control | mod::Alt, "", "Delete"}));
    CHECK_FALSE(isSecureAttentionChord({true, mod::Control | mod::Alt, "NumpadDecimal", "."}));
}
