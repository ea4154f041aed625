// The geometry of the Win32 support windows, in client-area pixels, so that tests can click
// them (tests/wine/test_wine_attended_support.py). Titles: Win32UserPrompt::kConsentTitle
// ("GuruConnect: allow remote support?") and kSessionTitle ("GuruConnect: session active"),
// the same as the X11 windows', followed by " (code 123 456)" once the code is known.
//
// | window  | client  | button: rectangle (x, y, w, h) -> centre                              |
// |---------|---------|------------------------------------------------------------------------|
// | consent | 420x160 | Allow (204, 120, 96, 28) -> (252, 134); Decline (312, 120, 96, 28) -> (360, 134) |
// | session | 420x160 | End session (312, 120, 96, 28) -> (360, 134)                           |
// | session, offering elevation | 420x160 | Run as administrator (150, 120, 150, 28) -> (225, 134); End session as above |
#pragma once

namespace guru::platform::win32::prompt_layout {

constexpr int kWidth = 420, kTextHeight = 96, kButtonWidth = 96, kButtonHeight = 28, kMargin = 12;
constexpr int kWideButtonWidth = 150;  // "Run as administrator"
constexpr int kHeight = kMargin * 3 + kTextHeight + kButtonHeight;
constexpr int kButtonTop = kMargin * 2 + kTextHeight;

/// The left edge of a right-aligned row of `count` buttons, `widths` their widths added up.
constexpr int rowLeft(int widths, int count) { return kWidth - widths - count * kMargin; }

static_assert(rowLeft(kWideButtonWidth + kButtonWidth, 2) == 150);
static_assert(kHeight == 160 && kButtonTop == 120);
static_assert(rowLeft(2 * kButtonWidth, 2) == 204 && rowLeft(kButtonWidth, 1) == 312);

}  // namespace guru::platform::win32::prompt_layout
