// ScreenCapturer for X11: XDamage says what changed, XShm reads just that.
#pragma once

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>

#include "platform/platform.h"
#include "platform/x11/x11_display.h"
#include "platform/x11/x11_shm_image.h"

namespace guru::platform::x11 {

/// Captures the root window of one X display. Falls back to XGetImage without XShm.
class X11ScreenCapturer final : public ScreenCapturer {
public:
    static Result<std::unique_ptr<X11ScreenCapturer>, BackendError> open(const std::string& name);
    ~X11ScreenCapturer() override;

    std::string_view name() const override { return shm_ ? "xshm" : "xgetimage"; }
    Rect bounds() const override { return {0, 0, width_, height_}; }
    std::vector<inner::Monitor> monitors() override;
    CaptureStatus capture(std::chrono::milliseconds timeout, const RegionSink& sink) override;
    void invalidate() override { first_ = true; }
    std::optional<inner::CursorImage> cursorShapeIfChanged() override;
    std::optional<inner::CursorPosition> cursorPosition() override;

private:
    explicit X11ScreenCapturer(DisplayPtr display);
    /// Handles queued events; returns false if the screen configuration changed.
    bool drainEvents();
    std::vector<Rect> takeDamage();
    bool read(const Rect& r, const RegionSink& sink);

    DisplayPtr display_;
    Window root_ = 0;
    int width_ = 0, height_ = 0;
    int damageEventBase_ = 0, fixesEventBase_ = 0, randrEventBase_ = -1;
    Damage damage_ = 0;
    XserverRegion region_ = 0;
    std::unique_ptr<ShmImage> shm_;
    bool first_ = true;
    bool damaged_ = false;
    bool cursorChanged_ = true;
    bool reconfigured_ = false;
};

}  // namespace guru::platform::x11
