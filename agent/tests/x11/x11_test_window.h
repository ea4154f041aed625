// Test helpers for the X11 integration tests: find the fixture's Xvfb, and a plain Xlib
// window (no window manager) that draws patterns and records input events.
#pragma once

#include <X11/Xlib.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/image.h"

namespace guru::test {

/// ":N" of the Xvfb started by the ctest fixture (GURU_XVFB_DIR/display).
std::string xvfbDisplay();

/// One recorded input event, in window coordinates.
struct RecordedEvent {
    int type = 0;            // KeyPress, ButtonPress, MotionNotify, ...
    unsigned button = 0;
    unsigned state = 0;      // modifier and button mask at the time
    unsigned long keysym = 0;
    int x = 0, y = 0;
};

/// A mapped, focused, override-redirect window on its own X connection.
class TestWindow {
public:
    TestWindow(const std::string& display, int x, int y, int width, int height);
    ~TestWindow();
    TestWindow(const TestWindow&) = delete;
    TestWindow& operator=(const TestWindow&) = delete;

    /// Fills a rectangle (window coordinates) with an RGB colour and syncs.
    void fill(const Rect& r, unsigned rgb);
    /// Pumps events until `done(events)` holds or `timeout` passes; returns `done`'s result.
    bool waitFor(const std::function<bool(const std::vector<RecordedEvent>&)>& done,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    const std::vector<RecordedEvent>& events() const { return events_; }
    void clearEvents() { events_.clear(); }
    Display* display() const { return display_; }
    Window window() const { return window_; }

private:
    void pump();

    Display* display_ = nullptr;
    Window window_ = 0;
    GC gc_ = nullptr;
    std::vector<RecordedEvent> events_;
};

}  // namespace guru::test
