// SendInput: absolute moves over the virtual desktop, buttons, high-resolution wheel, keys;
// SendSAS for Ctrl+Alt+Del.
#include "platform/win32/sendinput_injector.h"

#include <algorithm>
#include <cstdint>

#include "core/secure_attention_chord.h"
#include "platform/win32/win32_elevation.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_keymap.h"

namespace guru::platform::win32 {

namespace {

Outcome<InputError> send(std::vector<INPUT>& inputs) {
    if (inputs.empty()) return Unit{};
    const UINT sent = SendInput(static_cast<UINT>(inputs.size()), inputs.data(), sizeof(INPUT));
    if (sent != inputs.size()) return Failure{InputError::SystemError};
    return Unit{};
}

INPUT mouse(DWORD flags, LONG data = 0) {
    INPUT in{};
    in.type = INPUT_MOUSE;
    in.mi.dwFlags = flags;
    in.mi.mouseData = static_cast<DWORD>(data);
    return in;
}

INPUT keyboard(const KeyStroke& stroke, bool pressed) {
    INPUT in{};
    in.type = INPUT_KEYBOARD;
    if (stroke.virtualKey) {
        in.ki.wVk = stroke.virtualKey;
    } else {
        in.ki.wScan = stroke.scancode;
        in.ki.dwFlags = KEYEVENTF_SCANCODE | (stroke.extended ? KEYEVENTF_EXTENDEDKEY : 0);
        // Windows ignores wVk with KEYEVENTF_SCANCODE and maps the scancode through the
        // active layout itself; Wine 8 does not (WM_KEYDOWN arrives with virtual key 0), so
        // the layout's virtual key goes along too.
        const UINT scan = stroke.extended ? (0xE000u | stroke.scancode) : stroke.scancode;
        in.ki.wVk = static_cast<WORD>(MapVirtualKeyW(scan, MAPVK_VSC_TO_VK_EX));
    }
    if (!pressed) in.ki.dwFlags |= KEYEVENTF_KEYUP;
    return in;
}

// One event per UTF-16 unit: characters outside the BMP go as a surrogate pair.
std::vector<INPUT> unicode(char32_t cp, bool pressed) {
    std::vector<wchar_t> units;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        units = {static_cast<wchar_t>(0xD800 + (cp >> 10)), static_cast<wchar_t>(0xDC00 + (cp & 0x3FF))};
    } else {
        units = {static_cast<wchar_t>(cp)};
    }
    std::vector<INPUT> out;
    for (wchar_t unit : units) {
        INPUT in{};
        in.type = INPUT_KEYBOARD;
        in.ki.wScan = unit;
        in.ki.dwFlags = KEYEVENTF_UNICODE | (pressed ? 0 : KEYEVENTF_KEYUP);
        out.push_back(in);
    }
    return out;
}

DWORD buttonFlag(inner::Button b, bool pressed, LONG* data) {
    *data = 0;
    switch (b) {
        case inner::Button::Left: return pressed ? MOUSEEVENTF_LEFTDOWN : MOUSEEVENTF_LEFTUP;
        case inner::Button::Middle: return pressed ? MOUSEEVENTF_MIDDLEDOWN : MOUSEEVENTF_MIDDLEUP;
        case inner::Button::Right: return pressed ? MOUSEEVENTF_RIGHTDOWN : MOUSEEVENTF_RIGHTUP;
        case inner::Button::Back: *data = XBUTTON1; break;
        case inner::Button::Forward: *data = XBUTTON2; break;
    }
    return pressed ? MOUSEEVENTF_XDOWN : MOUSEEVENTF_XUP;
}

}  // namespace

bool processRunsAsLocalSystem() {
    HANDLE raw = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return false;
    const UniqueHandle token(raw);
    DWORD size = 0;
    GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
    if (size == 0 || size > 4096) return false;  // TOKEN_USER and one SID: well under 100 bytes
    std::vector<std::uint64_t> buffer((size + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
    if (!GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size)) return false;
    const auto* user = reinterpret_cast<const TOKEN_USER*>(buffer.data());
    // S-1-5-18: revision 1, the NT authority (5) and the one sub-authority 18. SID holds
    // exactly one sub-authority, so it is built here without an allocation to free.
    SID localSystem{SID_REVISION, 1, SECURITY_NT_AUTHORITY, {SECURITY_LOCAL_SYSTEM_RID}};
    return IsValidSid(user->User.Sid) && EqualSid(user->User.Sid, &localSystem);
}

SendInputInjector::SendInputInjector() : elevated_(processIsElevated().value_or(false)) {
    if (!processRunsAsLocalSystem()) return;  // SendSAS would do nothing: refuse the chord
    // From System32 only, never the agent's own folder (DLL planting).
    sasLibrary_.reset(LoadLibraryExW(L"sas.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32));
    if (!sasLibrary_) return;
    sendSas_ = reinterpret_cast<SendSasFn>(reinterpret_cast<void*>(GetProcAddress(sasLibrary_.get(), "SendSAS")));
    if (!sendSas_) sasLibrary_.reset();
}

Outcome<InputError> SendInputInjector::chordKey(const inner::Key& k, const std::string& slot) {
    if (!k.pressed) {
        chordKeys_.erase(slot);
        return Unit{};  // its press was never typed, so there is nothing to release
    }
    // Bounded: a viewer cannot grow the set with made-up key codes (a chord has 3 keys).
    constexpr std::size_t kMaxChordKeys = 8;
    if (chordKeys_.size() < kMaxChordKeys) chordKeys_.insert(slot);
    if (!sendSas_) return Failure{InputError::Unsupported};
    // FALSE: as a service. Whether Windows honours it also depends on the
    // SoftwareSASGeneration policy (docs/protocol.md §4); SendSAS reports nothing.
    sendSas_(FALSE);
    return Unit{};
}

Outcome<InputError> SendInputInjector::movePointer(int x, int y) {
    // Absolute virtual-desktop coordinates are 0..65535 across the whole virtual screen;
    // the protocol's desktop coordinates already start at its top-left corner.
    const int width = std::max(2, GetSystemMetrics(SM_CXVIRTUALSCREEN));
    const int height = std::max(2, GetSystemMetrics(SM_CYVIRTUALSCREEN));
    x = std::clamp(x, 0, width - 1);
    y = std::clamp(y, 0, height - 1);
    INPUT in = mouse(MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK);
    in.mi.dx = static_cast<LONG>((static_cast<long long>(x) * 65535 + (width - 1) / 2) / (width - 1));
    in.mi.dy = static_cast<LONG>((static_cast<long long>(y) * 65535 + (height - 1) / 2) / (height - 1));
    std::vector<INPUT> inputs{in};
    return send(inputs);
}

Outcome<InputError> SendInputInjector::button(inner::Button b, bool pressed) {
    LONG data = 0;
    const DWORD flag = buttonFlag(b, pressed, &data);
    std::vector<INPUT> inputs{mouse(flag, data)};
    auto r = send(inputs);
    if (pressed) heldButtons_.insert(b); else heldButtons_.erase(b);
    return r;
}

Outcome<InputError> SendInputInjector::wheel(int dx, int dy) {
    // Windows takes any multiple of 1/120 notch, so no remainder needs carrying; its
    // vertical wheel is positive away from the user (up), the protocol's +y scrolls down.
    std::vector<INPUT> inputs;
    if (dy != 0) inputs.push_back(mouse(MOUSEEVENTF_WHEEL, -dy));
    if (dx != 0) inputs.push_back(mouse(MOUSEEVENTF_HWHEEL, dx));
    return send(inputs);
}

Outcome<InputError> SendInputInjector::key(const inner::Key& k) {
    const std::string slot = k.code.empty() ? k.key : k.code;
    if (isSecureAttentionChord(k) || (!k.pressed && chordKeys_.contains(slot))) return chordKey(k, slot);
    std::vector<INPUT> inputs;
    std::vector<INPUT> release;
    const auto cp = singleCodepoint(k.key);
    // Text without Control/Alt/Meta is typed as the character itself, whatever the layout
    // here; with them it is a shortcut, so the physical key goes (Ctrl+C stays Ctrl+C).
    if (cp && !(k.modifiers & (inner::Control | inner::Alt | inner::Meta))) {
        inputs = unicode(*cp, k.pressed);
        release = unicode(*cp, false);
    } else {
        auto stroke = strokeForCode(k.code);
        if (!stroke) stroke = strokeForNamedKey(k.key);
        if (!stroke) return Failure{InputError::UnknownKey};
        inputs = {keyboard(*stroke, k.pressed)};
        release = {keyboard(*stroke, false)};
    }
    if (!k.pressed) {
        auto held = heldKeys_.find(slot);
        if (held != heldKeys_.end()) {
            // Release what was pressed (the press may have gone as text, the release not).
            inputs = held->second;
            heldKeys_.erase(held);
        }
    } else {
        heldKeys_[slot] = release;
    }
    return send(inputs);
}

void SendInputInjector::releaseAll() {
    std::vector<INPUT> inputs;
    for (auto& [code, release] : heldKeys_) {
        inputs.insert(inputs.end(), release.begin(), release.end());
    }
    heldKeys_.clear();
    chordKeys_.clear();
    for (inner::Button b : heldButtons_) {
        LONG data = 0;
        const DWORD flag = buttonFlag(b, false, &data);
        inputs.push_back(mouse(flag, data));
    }
    heldButtons_.clear();
    (void)send(inputs);  // best effort on disconnect: nothing to report it to
}

}  // namespace guru::platform::win32
