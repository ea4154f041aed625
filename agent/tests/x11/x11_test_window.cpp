// TestWindow implementation.
#include <doctest/doctest.h>  // before X11 headers, whose macros clash with it

#include "tests/x11/x11_test_window.h"

#include <X11/Xutil.h>

#include <cstdlib>
#include <fstream>
#include <thread>

namespace guru::test {

std::string xvfbDisplay() {
    const char* dir = std::getenv("GURU_XVFB_DIR");
    REQUIRE_MESSAGE(dir != nullptr, "GURU_XVFB_DIR not set: run through ctest");
    std::ifstream in(std::string(dir) + "/display");
    std::string number;
    in >> number;
    REQUIRE_MESSAGE(!number.empty(), "the Xvfb fixture did not record a display");
    return ":" + number;
}

TestWindow::TestWindow(const std::string& name, int x, int y, int width, int height) {
    display_ = XOpenDisplay(name.c_str());
    REQUIRE(display_ != nullptr);
    int screen = DefaultScreen(display_);
    XSetWindowAttributes attrs{};
    attrs.override_redirect = True;
    attrs.background_pixel = BlackPixel(display_, screen);
    attrs.event_mask = KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask |
                       PointerMotionMask | StructureNotifyMask;
    window_ = XCreateWindow(display_, RootWindow(display_, screen), x, y,
                            static_cast<unsigned>(width), static_cast<unsigned>(height), 0,
                            CopyFromParent, InputOutput, CopyFromParent,
                            CWOverrideRedirect | CWBackPixel | CWEventMask, &attrs);
    gc_ = XCreateGC(display_, window_, 0, nullptr);
    XMapRaised(display_, window_);
    // Wait (bounded) for MapNotify before focusing.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    bool isMapped = false;
    while (!isMapped && std::chrono::steady_clock::now() < deadline) {
        XWindowAttributes wa{};
        XGetWindowAttributes(display_, window_, &wa);
        isMapped = wa.map_state == IsViewable;
        if (!isMapped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(isMapped);
    XSetInputFocus(display_, window_, RevertToParent, CurrentTime);
    XSync(display_, False);
}

TestWindow::~TestWindow() {
    XFreeGC(display_, gc_);
    XDestroyWindow(display_, window_);
    XCloseDisplay(display_);
}

void TestWindow::fill(const Rect& r, unsigned rgb) {
    XSetForeground(display_, gc_, rgb);  // TrueColor 24-bit: pixel value is 0xRRGGBB
    XFillRectangle(display_, window_, gc_, r.x, r.y, static_cast<unsigned>(r.width),
                   static_cast<unsigned>(r.height));
    XSync(display_, False);
}

void TestWindow::pump() {
    for (int i = 0; i < 1000 && XPending(display_); ++i) {
        XEvent e;
        XNextEvent(display_, &e);
        RecordedEvent r;
        r.type = e.type;
        switch (e.type) {
            case MappingNotify:
                XRefreshKeyboardMapping(&e.xmapping);
                continue;
            case KeyPress:
            case KeyRelease: {
                char text[16];
                KeySym ks = 0;
                XLookupString(&e.xkey, text, sizeof text, &ks, nullptr);
                r.keysym = ks;
                r.state = e.xkey.state;
                r.x = e.xkey.x;
                r.y = e.xkey.y;
                break;
            }
            case ButtonPress:
            case ButtonRelease:
                r.button = e.xbutton.button;
                r.state = e.xbutton.state;
                r.x = e.xbutton.x;
                r.y = e.xbutton.y;
                break;
            case MotionNotify:
                r.state = e.xmotion.state;
                r.x = e.xmotion.x;
                r.y = e.xmotion.y;
                break;
            default:
                continue;
        }
        events_.push_back(r);
    }
}

bool TestWindow::waitFor(const std::function<bool(const std::vector<RecordedEvent>&)>& done,
                         std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        XSync(display_, False);
        pump();
        if (done(events_)) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace guru::test
