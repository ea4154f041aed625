// The cursor via GetCursorInfo/GetIconInfo, converted to the protocol's straight RGBA.
#pragma once

#include <windows.h>

#include <optional>

#include "core/inner_message.h"

namespace guru::platform::win32 {

/// Remembers the last cursor handle sent, so the shape goes out only when it changes.
class CursorTracker {
public:
    /// The current cursor's image if its handle changed since the last call.
    std::optional<inner::CursorImage> shapeIfChanged();
    /// Forgets the last shape (a new viewer needs it again).
    void reset() { last_ = nullptr; }

private:
    HCURSOR last_ = nullptr;
};

/// Where the cursor is, in desktop coordinates whose (0, 0) is the virtual screen's corner
/// (originX, originY), and whether it shows.
std::optional<inner::CursorPosition> cursorPositionFrom(int originX, int originY);

/// Reads one cursor's pixels: colour cursors with or without alpha, and monochrome ones.
std::optional<inner::CursorImage> readCursorShape(HCURSOR cursor);

}  // namespace guru::platform::win32
