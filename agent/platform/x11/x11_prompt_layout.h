// Geometry and titles of the attended-support windows (consent question, session active),
// exported so that tests and operators can find and click them, e.g.:
//   id=$(xdotool search --name "GuruConnect: allow remote support?")
//   xdotool mousemove --window "$id" 394 197 click 1      # Allow
//   xdotool mousemove --window "$id" 282 197 click 1      # Decline
//   id=$(xdotool search --name "GuruConnect: session active")
//   xdotool mousemove --window "$id" 254 161 click 1      # End
// Coordinates are relative to the window's top-left corner (inside any decoration). Both
// windows have a fixed size. Buttons act on release inside the button that was pressed.
#pragma once

namespace guru::platform::x11::layout {

/// A button's rectangle in window coordinates.
struct ButtonRect {
    int x, y, width, height;
    constexpr int centerX() const { return x + width / 2; }
    constexpr int centerY() const { return y + height / 2; }
    constexpr bool contains(int px, int py) const {
        return px >= x && px < x + width && py >= y && py < y + height;
    }
};

/// The consent question: WM_NAME and _NET_WM_NAME start with this; " (code 123 456)" follows
/// once a technician's keys are agreed (platform/prompt_text.h).
inline constexpr char kConsentTitle[] = "GuruConnect: allow remote support?";
inline constexpr int kConsentWidth = 460;
inline constexpr int kConsentHeight = 230;  // room for the technicians' names and codes
/// Decline: centre (282, 197). Escape also declines; Enter does nothing (no default).
inline constexpr ButtonRect kDeclineButton{232, 180, 100, 34};
/// Allow: centre (394, 197).
inline constexpr ButtonRect kAllowButton{344, 180, 100, 34};

/// The session-active window: WM_NAME and _NET_WM_NAME start with this (then the codes); kept
/// above other windows.
inline constexpr char kSessionTitle[] = "GuruConnect: session active";
inline constexpr int kSessionWidth = 320;
inline constexpr int kSessionHeight = 190;
/// End: centre (254, 161).
inline constexpr ButtonRect kEndButton{204, 144, 100, 34};

static_assert(kAllowButton.centerX() == 394 && kAllowButton.centerY() == 197);
static_assert(kDeclineButton.centerX() == 282 && kDeclineButton.centerY() == 197);
static_assert(kEndButton.centerX() == 254 && kEndButton.centerY() == 161);

}  // namespace guru::platform::x11::layout
