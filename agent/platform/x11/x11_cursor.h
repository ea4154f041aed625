// Cursor image (XFixes) and pointer position for the viewer's locally drawn cursor.
#pragma once

#include <X11/Xlib.h>

#include <optional>

#include "core/inner_message.h"

namespace guru::platform::x11 {

/// The current cursor image as non-premultiplied RGBA; nothing if unavailable or too big.
std::optional<inner::CursorImage> readCursorImage(Display* display);

/// The pointer position relative to `root`.
std::optional<inner::CursorPosition> queryPointer(Display* display, Window root);

}  // namespace guru::platform::x11
