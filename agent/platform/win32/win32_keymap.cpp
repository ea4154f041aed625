// DOM code → scancode table (the UI Events KeyboardEvent code values for a PC keyboard).
#include "platform/win32/win32_keymap.h"

#include <windows.h>

#include <array>

namespace guru::platform::win32 {

namespace {

struct Entry {
    std::string_view code;
    KeyStroke stroke;
};

constexpr KeyStroke sc(std::uint16_t code) { return {code, false, 0}; }
constexpr KeyStroke e0(std::uint16_t code) { return {code, true, 0}; }
constexpr KeyStroke vk(std::uint16_t key) { return {0, false, key}; }

constexpr std::array kCodes = {
    Entry{"Escape", sc(0x01)},       Entry{"Digit1", sc(0x02)},       Entry{"Digit2", sc(0x03)},
    Entry{"Digit3", sc(0x04)},       Entry{"Digit4", sc(0x05)},       Entry{"Digit5", sc(0x06)},
    Entry{"Digit6", sc(0x07)},       Entry{"Digit7", sc(0x08)},       Entry{"Digit8", sc(0x09)},
    Entry{"Digit9", sc(0x0A)},       Entry{"Digit0", sc(0x0B)},       Entry{"Minus", sc(0x0C)},
    Entry{"Equal", sc(0x0D)},        Entry{"Backspace", sc(0x0E)},    Entry{"Tab", sc(0x0F)},
    Entry{"KeyQ", sc(0x10)},         Entry{"KeyW", sc(0x11)},         Entry{"KeyE", sc(0x12)},
    Entry{"KeyR", sc(0x13)},         Entry{"KeyT", sc(0x14)},         Entry{"KeyY", sc(0x15)},
    Entry{"KeyU", sc(0x16)},         Entry{"KeyI", sc(0x17)},         Entry{"KeyO", sc(0x18)},
    Entry{"KeyP", sc(0x19)},         Entry{"BracketLeft", sc(0x1A)},  Entry{"BracketRight", sc(0x1B)},
    Entry{"Enter", sc(0x1C)},        Entry{"ControlLeft", sc(0x1D)},  Entry{"KeyA", sc(0x1E)},
    Entry{"KeyS", sc(0x1F)},         Entry{"KeyD", sc(0x20)},         Entry{"KeyF", sc(0x21)},
    Entry{"KeyG", sc(0x22)},         Entry{"KeyH", sc(0x23)},         Entry{"KeyJ", sc(0x24)},
    Entry{"KeyK", sc(0x25)},         Entry{"KeyL", sc(0x26)},         Entry{"Semicolon", sc(0x27)},
    Entry{"Quote", sc(0x28)},        Entry{"Backquote", sc(0x29)},    Entry{"ShiftLeft", sc(0x2A)},
    Entry{"Backslash", sc(0x2B)},    Entry{"KeyZ", sc(0x2C)},         Entry{"KeyX", sc(0x2D)},
    Entry{"KeyC", sc(0x2E)},         Entry{"KeyV", sc(0x2F)},         Entry{"KeyB", sc(0x30)},
    Entry{"KeyN", sc(0x31)},         Entry{"KeyM", sc(0x32)},         Entry{"Comma", sc(0x33)},
    Entry{"Period", sc(0x34)},       Entry{"Slash", sc(0x35)},        Entry{"ShiftRight", sc(0x36)},
    Entry{"NumpadMultiply", sc(0x37)}, Entry{"AltLeft", sc(0x38)},    Entry{"Space", sc(0x39)},
    Entry{"CapsLock", sc(0x3A)},     Entry{"F1", sc(0x3B)},           Entry{"F2", sc(0x3C)},
    Entry{"F3", sc(0x3D)},           Entry{"F4", sc(0x3E)},           Entry{"F5", sc(0x3F)},
    Entry{"F6", sc(0x40)},           Entry{"F7", sc(0x41)},           Entry{"F8", sc(0x42)},
    Entry{"F9", sc(0x43)},           Entry{"F10", sc(0x44)},          Entry{"NumLock", vk(VK_NUMLOCK)},
    Entry{"ScrollLock", sc(0x46)},   Entry{"Numpad7", sc(0x47)},      Entry{"Numpad8", sc(0x48)},
    Entry{"Numpad9", sc(0x49)},      Entry{"NumpadSubtract", sc(0x4A)}, Entry{"Numpad4", sc(0x4B)},
    Entry{"Numpad5", sc(0x4C)},      Entry{"Numpad6", sc(0x4D)},      Entry{"NumpadAdd", sc(0x4E)},
    Entry{"Numpad1", sc(0x4F)},      Entry{"Numpad2", sc(0x50)},      Entry{"Numpad3", sc(0x51)},
    Entry{"Numpad0", sc(0x52)},      Entry{"NumpadDecimal", sc(0x53)}, Entry{"IntlBackslash", sc(0x56)},
    Entry{"F11", sc(0x57)},          Entry{"F12", sc(0x58)},          Entry{"NumpadEnter", e0(0x1C)},
    Entry{"ControlRight", e0(0x1D)}, Entry{"NumpadDivide", e0(0x35)}, Entry{"PrintScreen", e0(0x37)},
    Entry{"AltRight", e0(0x38)},     Entry{"Pause", vk(VK_PAUSE)},    Entry{"Home", e0(0x47)},
    Entry{"ArrowUp", e0(0x48)},      Entry{"PageUp", e0(0x49)},       Entry{"ArrowLeft", e0(0x4B)},
    Entry{"ArrowRight", e0(0x4D)},   Entry{"End", e0(0x4F)},          Entry{"ArrowDown", e0(0x50)},
    Entry{"PageDown", e0(0x51)},     Entry{"Insert", e0(0x52)},       Entry{"Delete", e0(0x53)},
    Entry{"MetaLeft", e0(0x5B)},     Entry{"MetaRight", e0(0x5C)},    Entry{"ContextMenu", e0(0x5D)},
};

// Named key values whose code name differs (the rest are spelled like their code).
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kNamedAliases = {{
    {"Control", "ControlLeft"}, {"Shift", "ShiftLeft"}, {"Alt", "AltLeft"},
    {"Meta", "MetaLeft"},       {"AltGraph", "AltRight"},
}};

}  // namespace

std::optional<KeyStroke> strokeForCode(std::string_view code) {
    for (const Entry& e : kCodes) {
        if (e.code == code) return e.stroke;
    }
    return std::nullopt;
}

std::optional<KeyStroke> strokeForNamedKey(std::string_view key) {
    for (const auto& [name, code] : kNamedAliases) {
        if (name == key) return strokeForCode(code);
    }
    if (key.size() < 2) return std::nullopt;  // a single character is not a key name
    return strokeForCode(key);
}

std::optional<char32_t> singleCodepoint(std::string_view s) {
    if (s.empty()) return std::nullopt;
    const auto b = static_cast<unsigned char>(s[0]);
    std::size_t length = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (length == 0 || s.size() != length) return std::nullopt;
    char32_t cp = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t i = 1; i < length; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c >> 6) != 2) return std::nullopt;
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < 0x20 || cp == 0x7F || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return std::nullopt;  // control characters are named keys, not text
    }
    return cp;
}

}  // namespace guru::platform::win32
