// The X display's idle time, through the MIT-SCREEN-SAVER extension (libXss, opened with
// dlopen: a machine without it just reports no idle time).
#pragma once

#include <cstdint>
#include <optional>

namespace guru::platform::x11 {

/// Seconds since the last input on $DISPLAY; nothing without a display, libXss.so.1 or the
/// extension.
std::optional<std::uint64_t> displayIdleSeconds();

}  // namespace guru::platform::x11
