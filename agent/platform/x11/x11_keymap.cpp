// Tables from the UI Events KeyboardEvent key and code values to X keysyms.
#include "platform/x11/x11_keymap.h"

#include <X11/XF86keysym.h>
#include <X11/keysym.h>

#include <array>
#include <charconv>
#include <span>
#include <utility>

namespace guru::platform::x11 {
namespace {

struct Entry {
    std::string_view name;
    KeySym keysym;
};

// Names shared by KeyboardEvent.key and .code.
constexpr Entry kNamed[] = {
    {"Enter", XK_Return}, {"Tab", XK_Tab}, {"Backspace", XK_BackSpace}, {"Escape", XK_Escape},
    {"Delete", XK_Delete}, {"Insert", XK_Insert}, {"Home", XK_Home}, {"End", XK_End},
    {"PageUp", XK_Prior}, {"PageDown", XK_Next}, {"ArrowLeft", XK_Left},
    {"ArrowRight", XK_Right}, {"ArrowUp", XK_Up}, {"ArrowDown", XK_Down},
    {"CapsLock", XK_Caps_Lock}, {"NumLock", XK_Num_Lock}, {"ScrollLock", XK_Scroll_Lock},
    {"ContextMenu", XK_Menu}, {"PrintScreen", XK_Print}, {"Pause", XK_Pause},
    {"Shift", XK_Shift_L}, {"Control", XK_Control_L}, {"Alt", XK_Alt_L}, {"Meta", XK_Super_L},
    {"AltGraph", XK_ISO_Level3_Shift}, {"Space", XK_space},
    {"AudioVolumeMute", XF86XK_AudioMute}, {"AudioVolumeDown", XF86XK_AudioLowerVolume},
    {"AudioVolumeUp", XF86XK_AudioRaiseVolume},
};

// KeyboardEvent.code values that are not also key names, on a US layout.
constexpr Entry kCodes[] = {
    {"ShiftLeft", XK_Shift_L}, {"ShiftRight", XK_Shift_R}, {"ControlLeft", XK_Control_L},
    {"ControlRight", XK_Control_R}, {"AltLeft", XK_Alt_L}, {"AltRight", XK_ISO_Level3_Shift},
    {"MetaLeft", XK_Super_L}, {"MetaRight", XK_Super_R}, {"Minus", XK_minus},
    {"Equal", XK_equal}, {"BracketLeft", XK_bracketleft}, {"BracketRight", XK_bracketright},
    {"Backslash", XK_backslash}, {"Semicolon", XK_semicolon}, {"Quote", XK_apostrophe},
    {"Backquote", XK_grave}, {"Comma", XK_comma}, {"Period", XK_period}, {"Slash", XK_slash},
    {"IntlBackslash", XK_less}, {"NumpadAdd", XK_KP_Add}, {"NumpadSubtract", XK_KP_Subtract},
    {"NumpadMultiply", XK_KP_Multiply}, {"NumpadDivide", XK_KP_Divide},
    {"NumpadDecimal", XK_KP_Decimal}, {"NumpadEnter", XK_KP_Enter},
};

std::optional<KeySym> lookup(std::span<const Entry> table, std::string_view name) {
    for (const Entry& e : table) {
        if (e.name == name) return e.keysym;
    }
    return std::nullopt;
}

// "F1".."F24" → XK_F1..XK_F24.
std::optional<KeySym> functionKey(std::string_view name) {
    if (name.size() < 2 || name.size() > 3 || name[0] != 'F') return std::nullopt;
    int n = 0;
    auto [end, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), n);
    if (ec != std::errc{} || end != name.data() + name.size() || n < 1 || n > 24) {
        return std::nullopt;
    }
    return XK_F1 + static_cast<KeySym>(n - 1);
}

}  // namespace

std::optional<KeySym> keysymForNamedKey(std::string_view key) {
    if (auto k = lookup(kNamed, key)) return k;
    return functionKey(key);
}

std::optional<KeySym> keysymForCode(std::string_view code) {
    if (code.size() == 4 && code.starts_with("Key") && code[3] >= 'A' && code[3] <= 'Z') {
        return XK_a + static_cast<KeySym>(code[3] - 'A');
    }
    if (code.size() == 6 && code.starts_with("Digit") && code[5] >= '0' && code[5] <= '9') {
        return XK_0 + static_cast<KeySym>(code[5] - '0');
    }
    if (code.size() == 7 && code.starts_with("Numpad") && code[6] >= '0' && code[6] <= '9') {
        return XK_KP_0 + static_cast<KeySym>(code[6] - '0');
    }
    if (auto k = lookup(kCodes, code)) return k;
    return keysymForNamedKey(code);
}

std::optional<KeySym> keysymForCharacter(char32_t cp) {
    if ((cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xFF)) return KeySym{cp};
    if (cp == U'\u20AC') return XK_EuroSign;  // layouts bind the legacy keysym
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0x10FFFF) return std::nullopt;
    return 0x01000000 + KeySym{cp};
}

std::optional<char32_t> singleCodepoint(std::string_view s) {
    if (s.empty()) return std::nullopt;
    auto b0 = static_cast<unsigned char>(s[0]);
    std::size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3
                                    : (b0 >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || s.size() != len) return std::nullopt;
    char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (std::size_t i = 1; i < len; ++i) {
        auto b = static_cast<unsigned char>(s[i]);
        if ((b >> 6) != 0x2) return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return std::nullopt;  // overlong or invalid
    }
    return cp;
}

}  // namespace guru::platform::x11
