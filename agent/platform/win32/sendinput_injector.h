// InputInjector for Windows: SendInput with scancodes for keys, KEYEVENTF_UNICODE for text.
#pragma once

#include <windows.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// Injects into the input desktop of the session the agent runs in. Windows drops input to
/// windows of higher integrity (UIPI) without telling; SendInput's count is checked anyway.
class SendInputInjector final : public InputInjector {
public:
    ~SendInputInjector() override { releaseAll(); }
    Outcome<InputError> movePointer(int x, int y) override;
    Outcome<InputError> button(inner::Button button, bool pressed) override;
    Outcome<InputError> wheel(int dx, int dy) override;
    Outcome<InputError> key(const inner::Key& key) override;
    void releaseAll() override;

private:
    /// The key-up events that undo each key held down, by DOM code.
    std::map<std::string, std::vector<INPUT>> heldKeys_;
    std::set<inner::Button> heldButtons_;
};

}  // namespace guru::platform::win32
