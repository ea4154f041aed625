// The geometry of the Win32 support windows, in client-area pixels, so that tests can click
// them (tests/wine/test_wine_attended_support.py). Titles: Win32UserPrompt::kConsentTitle
// ("GuruConnect: allow remote support?") and kSessionTitle ("GuruConnect: session active"),
// the same as the X11 windows', followed by " (code 123 456)" once the code is known.
//
// | window  | client  | button: rectangle (x, y, w, h) -> centre                              |
// |---------|---------|------------------------------------------------------------------------|
// | consent | 420x160 | Allow (204, 120, 96, 28) -> (252, 134); Decline (312, 120, 96, 28) -> (360, 134) |
// | session | 420x160 | End session (312, 120, 96, 28) -> (360, 134)                           |
#pragma once

namespace guru::platform::win32::prompt_layout {

constexpr int kWidth = 420, kTextHeight = 96, kButtonWidth = 96, kButtonHeight = 28, kMargin = 12;
constexpr int kHeight = kMargin * 3 + kTextHeight + kButtonHeight;
constexpr int kButtonTop = kMargin * 2 + kTextHeight;

/// The left edge of button `index` of `count` (right-aligned row).
constexpr int buttonLeft(int index, int count) {
    return kWidth - count * (kButtonWidth + kMargin) + index * (kButtonWidth + kMargin);
}

static_assert(kHeight == 160 && kButtonTop == 120);
static_assert(buttonLeft(0, 2) == 204 && buttonLeft(1, 2) == 312 && buttonLeft(0, 1) == 312);

}  // namespace guru::platform::win32::prompt_layout
