// X11 capture loop: wait for damage (bounded), fetch the damaged region, copy it in.
#include "platform/x11/x11_screen_capturer.h"

#include <X11/Xutil.h>
#include <X11/extensions/Xrandr.h>
#include <poll.h>


#include "platform/x11/x11_cursor.h"
#include "platform/x11/x11_monitors.h"

namespace guru::platform::x11 {
namespace {

// Above this many rectangles, one bounding-box read is cheaper than many round trips.
constexpr int kMaxRectsPerCapture = 64;
// Rows per XShm read: 1920 x 135 x 4 = 1 MB of shared memory instead of 8 MB.
constexpr int kShmBandRows = 135;

Rect boundingBox(const std::vector<Rect>& rects) {
    Rect box = rects.front();
    for (const Rect& r : rects) {
        int l = std::min(box.x, r.x), t = std::min(box.y, r.y);
        int rr = std::max(box.right(), r.right()), b = std::max(box.bottom(), r.bottom());
        box = {l, t, rr - l, b - t};
    }
    return box;
}

}  // namespace

X11ScreenCapturer::X11ScreenCapturer(DisplayPtr display) : display_(std::move(display)) {}

Result<std::unique_ptr<X11ScreenCapturer>, BackendError> X11ScreenCapturer::open(
    const std::string& name) {
    DisplayPtr display = openDisplay(name);
    if (!display) return Failure{BackendError::NoDisplay};
    std::unique_ptr<X11ScreenCapturer> self(new X11ScreenCapturer(std::move(display)));
    Display* d = self->display_.get();
    int screen = DefaultScreen(d);
    self->root_ = RootWindow(d, screen);
    self->width_ = DisplayWidth(d, screen);
    self->height_ = DisplayHeight(d, screen);
    if (DefaultDepth(d, screen) < 24) return Failure{BackendError::MissingExtension};

    int errorBase = 0;
    if (!XDamageQueryExtension(d, &self->damageEventBase_, &errorBase) ||
        !XFixesQueryExtension(d, &self->fixesEventBase_, &errorBase)) {
        return Failure{BackendError::MissingExtension};
    }
    self->damage_ = XDamageCreate(d, self->root_, XDamageReportNonEmpty);
    self->region_ = XFixesCreateRegion(d, nullptr, 0);
    XFixesSelectCursorInput(d, self->root_, XFixesDisplayCursorNotifyMask);
    if (XRRQueryExtension(d, &self->randrEventBase_, &errorBase)) {
        XRRSelectInput(d, self->root_, RRScreenChangeNotifyMask);
    } else {
        self->randrEventBase_ = -1;
    }
    // A band, not a whole frame: the segment counts in RSS, and rows are copied out anyway.
    self->shm_ = ShmImage::create(d, self->width_, std::min(self->height_, kShmBandRows));
    // (null shm_: the XGetImage path)
    return self;
}

X11ScreenCapturer::~X11ScreenCapturer() {
    shm_.reset();
    if (damage_) XDamageDestroy(display_.get(), damage_);
    if (region_) XFixesDestroyRegion(display_.get(), region_);
}

std::vector<inner::Monitor> X11ScreenCapturer::monitors() {
    return queryMonitors(display_.get(), root_);
}

bool X11ScreenCapturer::drainEvents() {
    Display* d = display_.get();
    // Bounded: handles what is queued now, at most a few thousand events per call.
    for (int n = XPending(d), i = 0; i < n && i < 4096; ++i) {
        XEvent event;
        XNextEvent(d, &event);
        if (event.type == damageEventBase_ + XDamageNotify) {
            damaged_ = true;
        } else if (event.type == fixesEventBase_ + XFixesCursorNotify) {
            cursorChanged_ = true;
        } else if (randrEventBase_ >= 0 && event.type == randrEventBase_ + RRScreenChangeNotify) {
            XRRUpdateConfiguration(&event);
            int screen = DefaultScreen(d);
            if (DisplayWidth(d, screen) != width_ || DisplayHeight(d, screen) != height_) {
                reconfigured_ = true;
            }
        }
    }
    return !reconfigured_;
}

std::vector<Rect> X11ScreenCapturer::takeDamage() {
    Display* d = display_.get();
    XDamageSubtract(d, damage_, None, region_);
    int count = 0;
    std::unique_ptr<XRectangle, decltype(&XFree)> rects(XFixesFetchRegion(d, region_, &count),
                                                        &XFree);
    damaged_ = false;
    std::vector<Rect> result;
    for (int i = 0; rects && i < count; ++i) {
        const XRectangle& x = rects.get()[i];
        Rect r = Rect{x.x, x.y, x.width, x.height}.intersect(bounds());
        if (!r.empty()) result.push_back(r);
    }
    if (static_cast<int>(result.size()) > kMaxRectsPerCapture) {
        result = {boundingBox(result)};
    }
    return result;
}

bool X11ScreenCapturer::read(const Rect& r, const RegionSink& sink) {
    if (shm_) {
        const int band = shm_->height();
        for (int y = r.y; y < r.bottom(); y += band) {  // at most height/band + 1 reads
            const Rect part{r.x, y, r.width, std::min(band, r.bottom() - y)};
            auto pixels = shm_->read(root_, part);
            if (!pixels) return false;
            sink(part, *pixels);
        }
        return true;
    }
    ErrorTrap trap(display_.get());
    struct ImageFree { void operator()(XImage* i) const { XDestroyImage(i); } };  // a macro
    std::unique_ptr<XImage, ImageFree> image(
        XGetImage(display_.get(), root_, r.x, r.y, static_cast<unsigned>(r.width),
                  static_cast<unsigned>(r.height), AllPlanes, ZPixmap));
    if (!image || trap.failed() || image->bits_per_pixel != 32) return false;
    sink(r, {reinterpret_cast<const std::byte*>(image->data), r.width, r.height,
             static_cast<std::size_t>(image->bytes_per_line)});
    return true;
}

CaptureStatus X11ScreenCapturer::capture(std::chrono::milliseconds timeout,
                                         const RegionSink& sink) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    Display* d = display_.get();
    while (true) {
        if (!drainEvents()) return CaptureStatus::Reinit;
        if (first_ || damaged_) break;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return CaptureStatus::Timeout;
        XFlush(d);
        pollfd fd{ConnectionNumber(d), POLLIN, 0};
        int rc = poll(&fd, 1, static_cast<int>(left.count()));
        if (rc < 0 && errno != EINTR) return CaptureStatus::Error;
        if (rc > 0 && (fd.revents & (POLLHUP | POLLERR))) return CaptureStatus::Reinit;
        if (rc == 0 && XPending(d) == 0) return CaptureStatus::Timeout;
    }
    std::vector<Rect> damage = takeDamage();  // also clears a pending damage state
    if (first_) {
        damage = {bounds()};
        first_ = false;
    }
    for (const Rect& r : damage) {
        if (!read(r, sink)) return CaptureStatus::Error;
    }
    return CaptureStatus::Ok;
}

std::optional<inner::CursorImage> X11ScreenCapturer::cursorShapeIfChanged() {
    drainEvents();
    if (!cursorChanged_) return std::nullopt;
    cursorChanged_ = false;
    return readCursorImage(display_.get());
}

std::optional<inner::CursorPosition> X11ScreenCapturer::cursorPosition() {
    return queryPointer(display_.get(), root_);
}

}  // namespace guru::platform::x11
