// XScreenSaverQueryInfo's `idle` (milliseconds since the last input), libXss loaded at run
// time so the agent's package needs no new dependency.
#include "platform/x11/x11_idle.h"

#include <X11/extensions/scrnsaver.h>
#include <dlfcn.h>

#include <cstdlib>
#include <memory>

#include "platform/x11/x11_display.h"

namespace guru::platform::x11 {
namespace {

struct ScreenSaverApi {
    Bool (*queryExtension)(Display*, int*, int*) = nullptr;
    XScreenSaverInfo* (*allocInfo)() = nullptr;
    Status (*queryInfo)(Display*, Drawable, XScreenSaverInfo*) = nullptr;
};

// Loaded once and kept: the handle lives as long as the process (dlclose would gain nothing).
const ScreenSaverApi* api() {
    static const ScreenSaverApi loaded = [] {
        ScreenSaverApi a;
        void* handle = ::dlopen("libXss.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!handle) return a;
        a.queryExtension = reinterpret_cast<decltype(a.queryExtension)>(::dlsym(handle, "XScreenSaverQueryExtension"));
        a.allocInfo = reinterpret_cast<decltype(a.allocInfo)>(::dlsym(handle, "XScreenSaverAllocInfo"));
        a.queryInfo = reinterpret_cast<decltype(a.queryInfo)>(::dlsym(handle, "XScreenSaverQueryInfo"));
        return a;
    }();
    if (!loaded.queryExtension || !loaded.allocInfo || !loaded.queryInfo) return nullptr;
    return &loaded;
}

struct FreeInfo {
    void operator()(XScreenSaverInfo* info) const { XFree(info); }
};

}  // namespace

std::optional<std::uint64_t> displayIdleSeconds() {
    const char* name = std::getenv("DISPLAY");
    if (!name || !*name) return std::nullopt;
    const ScreenSaverApi* ss = api();
    if (!ss) return std::nullopt;
    DisplayPtr display = openDisplay("");
    if (!display) return std::nullopt;
    int event = 0, error = 0;
    if (!ss->queryExtension(display.get(), &event, &error)) return std::nullopt;
    std::unique_ptr<XScreenSaverInfo, FreeInfo> info(ss->allocInfo());
    if (!info || !ss->queryInfo(display.get(), DefaultRootWindow(display.get()), info.get())) return std::nullopt;
    return info->idle / 1000;
}

}  // namespace guru::platform::x11
