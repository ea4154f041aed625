// RandR monitor enumeration.
#include "platform/x11/x11_monitors.h"

#include <X11/extensions/Xrandr.h>

#include <memory>

namespace guru::platform::x11 {

std::vector<inner::Monitor> queryMonitors(Display* display, Window root) {
    std::vector<inner::Monitor> result;
    int eventBase = 0, errorBase = 0, count = 0;
    if (XRRQueryExtension(display, &eventBase, &errorBase)) {
        std::unique_ptr<XRRMonitorInfo, decltype(&XRRFreeMonitors)> list(
            XRRGetMonitors(display, root, True, &count), &XRRFreeMonitors);
        for (int i = 0; list && i < count && i < inner::kMaxMonitors; ++i) {
            const XRRMonitorInfo& m = list.get()[i];
            if (m.width <= 0 || m.height <= 0) continue;
            result.push_back({m.x, m.y, static_cast<std::uint16_t>(m.width),
                              static_cast<std::uint16_t>(m.height), m.primary != 0});
        }
    }
    if (result.empty()) {
        int screen = DefaultScreen(display);
        result.push_back({0, 0, static_cast<std::uint16_t>(DisplayWidth(display, screen)),
                          static_cast<std::uint16_t>(DisplayHeight(display, screen)), true});
    }
    return result;
}

}  // namespace guru::platform::x11
