// Monitor layout from RandR 1.5 monitors (which also reflects Xinerama-style setups).
#pragma once

#include <X11/Xlib.h>

#include <vector>

#include "core/inner_message.h"

namespace guru::platform::x11 {

/// Active monitors in root-window coordinates; the whole screen if RandR reports none.
std::vector<inner::Monitor> queryMonitors(Display* display, Window root);

}  // namespace guru::platform::x11
