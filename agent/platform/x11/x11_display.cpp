// X connection opening and the error trap.
#include "platform/x11/x11_display.h"

#include <mutex>

namespace guru::platform::x11 {
namespace {
thread_local ErrorTrap* tCurrentTrap = nullptr;  // innermost active trap on this thread
}

DisplayPtr openDisplay(const std::string& name) {
    static std::once_flag threads;
    std::call_once(threads, [] { XInitThreads(); });
    return DisplayPtr(XOpenDisplay(name.empty() ? nullptr : name.c_str()));
}

ErrorTrap::ErrorTrap(Display* display) : display_(display), outer_(tCurrentTrap) {
    static std::once_flag installed;
    std::call_once(installed, [] { XSetErrorHandler(&ErrorTrap::handle); });
    XSync(display_, False);
    tCurrentTrap = this;
}

ErrorTrap::~ErrorTrap() {
    XSync(display_, False);
    tCurrentTrap = outer_;
}

bool ErrorTrap::failed() {
    XSync(display_, False);
    return errorCode_ != 0;
}

int ErrorTrap::handle(Display*, XErrorEvent* event) {
    if (tCurrentTrap) tCurrentTrap->errorCode_ = event->error_code;
    // Outside a trap, errors are ignored rather than killing the agent.
    return 0;
}

}  // namespace guru::platform::x11
