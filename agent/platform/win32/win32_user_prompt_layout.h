// The geometry of the Win32 support windows, in client-area pixels, so that tests can click
// them (tests/wine/test_wine_attended_support.py). Titles: Win32UserPrompt::kConsentTitle
// ("GuruConnect: allow remote support?") and kSessionTitle ("GuruConnect: session active"),
// the same as the X11 windows'.
//
// | window  | client  | button: rectangle (x, y, w, h) -> centre                              |
// |---------|---------|------------------------------------------------------------------------|
// | consent | 420x128 | Allow (204, 88, 96, 28) -> (252, 102); Decline (312, 88, 96, 28) -> (360, 102) |
// | session | 420x128 | End session (312, 88, 96, 28) -> (360, 102)                            |
#pragma once

namespace guru::platform::win32::prompt_layout {

constexpr int kWidth = 420, kTextHeight = 64, kButtonWidth = 96, kButtonHeight = 28, kMargin = 12;
constexpr int kHeight = kMargin * 3 + kTextHeight + kButtonHeight;
constexpr int kButtonTop = kMargin * 2 + kTextHeight;

/// The left edge of button `index` of `count` (right-aligned row).
constexpr int buttonLeft(int index, int count) {
    return kWidth - count * (kButtonWidth + kMargin) + index * (kButtonWidth + kMargin);
}

static_assert(kHeight == 128 && kButtonTop == 88);
static_assert(buttonLeft(0, 2) == 204 && buttonLeft(1, 2) == 312 && buttonLeft(0, 1) == 312);

}  // namespace guru::platform::win32::prompt_layout
