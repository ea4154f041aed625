// Recognising Ctrl+Alt+Del among a viewer's key events. Pure, so that the Windows
// injector's rule (the chord becomes SendSAS) is unit-tested on every OS.
#pragma once

#include <cstdint>

#include "core/inner_message.h"

namespace guru {

/// True for the key-down that completes Ctrl+Alt+Del: Delete pressed while Control and Alt
/// are held, as the viewer's special-keys menu sends it (Control, Alt, then Delete with both
/// modifier bits). The keypad's Delete (code NumpadDecimal, key "Delete" with NumLock off)
/// counts too, and extra modifiers do not matter, as on a local Windows keyboard.
inline bool isSecureAttentionChord(const inner::Key& key) {
    constexpr std::uint8_t kControlAlt = inner::Control | inner::Alt;
    if (!key.pressed || (key.modifiers & kControlAlt) != kControlAlt) return false;
    return key.code == "Delete" || key.key == "Delete";
}

}  // namespace guru
