// The Windows backend's factory: the one place that assembles the Win32 implementations.
#include <windows.h>

#include <cstdio>

#include "platform/platform.h"
#include "platform/win32/sendinput_injector.h"
#include "platform/win32/win32_capture_pick.h"
#include "platform/win32/win32_clipboard.h"
#include "platform/win32/win32_system_info.h"
#include "platform/win32/win32_user_prompt.h"

namespace guru::platform {

namespace {

// Without DPI awareness a scaled display (125%, 150%) reports, and captures, scaled
// coordinates. Per-monitor v2 exists from Windows 10 1703; older systems get system-wide.
void becomeDpiAware() {
    using SetContextFn = BOOL(WINAPI*)(HANDLE);
    auto setContext = reinterpret_cast<SetContextFn>(reinterpret_cast<void*>(
        GetProcAddress(GetModuleHandleW(L"user32.dll"), "SetProcessDpiAwarenessContext")));
    if (!setContext || !setContext(reinterpret_cast<HANDLE>(-4))) {  // PER_MONITOR_AWARE_V2
        SetProcessDPIAware();
    }
}

}  // namespace

// BackendOptions::display names an X display; Windows has one interactive desktop per
// session, so it is ignored here.
Result<std::unique_ptr<ScreenCapturer>, BackendError> openCapturer(const BackendOptions&) {
    becomeDpiAware();  // before DuplicateOutput, which wants per-monitor awareness
    // DXGI Desktop Duplication, else GDI, or what GURU_CAPTURE forces; logs which and why.
    return win32::openPreferredCapturer();
}

Result<Backend, BackendError> openBackend(const BackendOptions&) {
    becomeDpiAware();
    Backend backend;
    backend.input = std::make_unique<win32::SendInputInjector>();
    backend.clipboard = std::make_unique<win32::Win32Clipboard>();
    backend.prompt = std::make_unique<win32::Win32UserPrompt>();
    backend.system = std::make_unique<win32::Win32SystemInfo>();
    return backend;
}

}  // namespace guru::platform
