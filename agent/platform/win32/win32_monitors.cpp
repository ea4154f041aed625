// EnumDisplayMonitors + GetMonitorInfoW.
#include "platform/win32/win32_monitors.h"

#include <windows.h>

namespace guru::platform::win32 {

namespace {

struct Collect {
    std::vector<inner::Monitor>* out;
    int originX, originY;
};

BOOL CALLBACK addMonitor(HMONITOR monitor, HDC, LPRECT, LPARAM data) {
    auto* collect = reinterpret_cast<Collect*>(data);
    MONITORINFO info{};
    info.cbSize = sizeof info;
    if (!GetMonitorInfoW(monitor, &info)) return TRUE;
    const RECT& r = info.rcMonitor;
    inner::Monitor m;
    m.x = r.left - collect->originX;
    m.y = r.top - collect->originY;
    m.width = static_cast<std::uint16_t>(r.right - r.left);
    m.height = static_cast<std::uint16_t>(r.bottom - r.top);
    m.primary = (info.dwFlags & MONITORINFOF_PRIMARY) != 0;
    collect->out->push_back(m);
    return TRUE;
}

}  // namespace

std::vector<inner::Monitor> enumerateMonitors(int originX, int originY) {
    std::vector<inner::Monitor> monitors;
    Collect collect{&monitors, originX, originY};
    EnumDisplayMonitors(nullptr, nullptr, addMonitor, reinterpret_cast<LPARAM>(&collect));
    return monitors;
}

}  // namespace guru::platform::win32
