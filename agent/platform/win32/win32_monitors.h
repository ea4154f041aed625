// The monitors of the Windows desktop, from EnumDisplayMonitors.
#pragma once

#include <vector>

#include "core/inner_message.h"

namespace guru::platform::win32 {

/// Every monitor, moved so that the virtual screen's top-left corner (which Windows may put
/// at negative coordinates) is (0, 0), as the desktop coordinates of the protocol are.
std::vector<inner::Monitor> enumerateMonitors(int originX, int originY);

}  // namespace guru::platform::win32
