// InputInjector for X11 through XTest, layout-aware, remapping a spare keycode for
// characters the active layout cannot type (as x11vnc and xdotool do).
#pragma once

#include <X11/Xlib.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "platform/platform.h"
#include "platform/x11/x11_display.h"

namespace guru::platform::x11 {

/// Injects pointer and key events into one X display.
class X11InputInjector final : public InputInjector {
public:
    static Result<std::unique_ptr<X11InputInjector>, BackendError> open(const std::string& name);
    ~X11InputInjector() override;

    /// euid 0 (read once): root's input is "elevated" in SessionInfo's sense.
    bool elevated() const override { return elevated_; }
    Outcome<InputError> movePointer(int x, int y) override;
    Outcome<InputError> button(inner::Button button, bool pressed) override;
    Outcome<InputError> wheel(int dx, int dy) override;
    Outcome<InputError> key(const inner::Key& key) override;
    void releaseAll() override;

private:
    /// Where a keysym sits: its keycode and shift level (0 plain, 1 Shift, 2 AltGr, 3 both).
    struct Placement {
        KeyCode keycode;
        int level;
    };

    explicit X11InputInjector(DisplayPtr display) : display_(std::move(display)) {}
    void loadKeyboardMapping();
    std::optional<Placement> find(KeySym keysym) const;
    std::optional<KeyCode> remapSpare(KeySym keysym);
    Outcome<InputError> pressAtLevel(const Placement& place);
    std::optional<KeySym> resolve(const inner::Key& key, bool& typedCharacter) const;
    void fakeKey(KeyCode keycode, bool down);
    void flush();

    DisplayPtr display_;
    bool elevated_ = ::geteuid() == 0;
    int minKeycode_ = 8, maxKeycode_ = 255, symsPerKeycode_ = 0;
    std::vector<KeySym> mapping_;  // core keyboard mapping, our cached copy
    std::vector<KeyCode> spare_;   // keycodes with no keysym, usable for remapping
    std::vector<KeyCode> remapped_;  // spare keycodes we changed, in use order (oldest first)
    std::map<std::string, KeyCode> pressedByCode_;  // KeyboardEvent.code → keycode held
    std::set<unsigned> heldButtons_;
    int wheelRemainderX_ = 0, wheelRemainderY_ = 0;
};

}  // namespace guru::platform::x11
