// BitBlt into a top-down 32-bit DIB section (BGRX, the core's layout), then band compare.
#include "platform/win32/gdi_screen_capturer.h"

#include <cstring>
#include <thread>

#include "platform/win32/win32_monitors.h"

namespace guru::platform::win32 {

namespace {

using Clock = std::chrono::steady_clock;
// GDI has no change events: poll at most this often (about 30 captures per second).
constexpr auto kPollInterval = std::chrono::milliseconds(33);
// Rows compared and sent together; the core's tile tracker narrows them to 64x64 tiles.
constexpr int kBandRows = 16;

struct VirtualScreen {
    int x, y, width, height;
};

VirtualScreen virtualScreen() {
    return {GetSystemMetrics(SM_XVIRTUALSCREEN), GetSystemMetrics(SM_YVIRTUALSCREEN),
            GetSystemMetrics(SM_CXVIRTUALSCREEN), GetSystemMetrics(SM_CYVIRTUALSCREEN)};
}

}  // namespace

Result<std::unique_ptr<GdiScreenCapturer>, BackendError> GdiScreenCapturer::open() {
    const VirtualScreen screen = virtualScreen();
    if (screen.width <= 0 || screen.height <= 0) return Failure{BackendError::NoDisplay};
    std::unique_ptr<GdiScreenCapturer> self(
        new GdiScreenCapturer(screen.x, screen.y, screen.width, screen.height));
    WindowDc desktop(nullptr);
    if (!desktop.get()) return Failure{BackendError::NoDisplay};
    self->memoryDc_.reset(CreateCompatibleDC(desktop.get()));
    if (!self->memoryDc_) return Failure{BackendError::SystemError};
    BITMAPINFO info{};
    info.bmiHeader.biSize = sizeof info.bmiHeader;
    info.bmiHeader.biWidth = screen.width;
    info.bmiHeader.biHeight = -screen.height;  // top-down rows
    info.bmiHeader.biPlanes = 1;
    info.bmiHeader.biBitCount = 32;
    info.bmiHeader.biCompression = BI_RGB;
    void* bits = nullptr;
    self->dib_.reset(CreateDIBSection(desktop.get(), &info, DIB_RGB_COLORS, &bits, nullptr, 0));
    if (!self->dib_ || !bits) return Failure{BackendError::SystemError};
    self->bits_ = static_cast<std::byte*>(bits);
    self->previousObject_ = SelectObject(self->memoryDc_.get(), self->dib_.get());
    self->previous_.resize(static_cast<std::size_t>(screen.width) * screen.height * kBytesPerPixel);
    return self;
}

GdiScreenCapturer::~GdiScreenCapturer() {
    // The DIB must leave the DC before either is deleted.
    if (memoryDc_ && previousObject_) SelectObject(memoryDc_.get(), previousObject_);
}

std::vector<inner::Monitor> GdiScreenCapturer::monitors() {
    return enumerateMonitors(originX_, originY_);
}

void GdiScreenCapturer::invalidate() {
    first_ = true;
    cursor_.reset();
}

bool GdiScreenCapturer::geometryChanged() const {
    const VirtualScreen now = virtualScreen();
    return now.x != originX_ || now.y != originY_ || now.width != width_ || now.height != height_;
}

bool GdiScreenCapturer::grab() {
    WindowDc desktop(nullptr);
    if (!desktop.get()) return false;
    // CAPTUREBLT includes layered (translucent) windows.
    const BOOL ok = BitBlt(memoryDc_.get(), 0, 0, width_, height_, desktop.get(), originX_,
                           originY_, SRCCOPY | CAPTUREBLT);
    GdiFlush();
    return ok != 0;
}

bool GdiScreenCapturer::emitChangedBands(const RegionSink& sink) {
    const std::size_t stride = static_cast<std::size_t>(width_) * kBytesPerPixel;
    const ImageView frame{bits_, width_, height_, stride};
    bool any = false;
    int runStart = -1;
    auto flush = [&](int end) {
        if (runStart < 0) return;
        const Rect r{0, runStart, width_, end - runStart};
        std::memcpy(previous_.data() + stride * static_cast<std::size_t>(r.y), frame.row(r.y),
                    stride * static_cast<std::size_t>(r.height));
        sink(r, frame.sub(r));
        any = true;
        runStart = -1;
    };
    for (int y = 0; y < height_; y += kBandRows) {
        const int rows = std::min(kBandRows, height_ - y);
        const std::size_t offset = stride * static_cast<std::size_t>(y);
        const bool changed = std::memcmp(previous_.data() + offset, bits_ + offset,
                                         stride * static_cast<std::size_t>(rows)) != 0;
        if (changed && runStart < 0) runStart = y;
        if (!changed) flush(y);
    }
    flush(height_);
    return any;
}

CaptureStatus GdiScreenCapturer::capture(std::chrono::milliseconds timeout,
                                         const RegionSink& sink) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (geometryChanged()) return CaptureStatus::Reinit;
        // A failed BitBlt means the input desktop switched (UAC prompt, lock screen): a
        // reopened capturer starts over with the whole screen.
        if (!grab()) return CaptureStatus::Reinit;
        if (first_) {
            first_ = false;
            const std::size_t stride = static_cast<std::size_t>(width_) * kBytesPerPixel;
            std::memcpy(previous_.data(), bits_, previous_.size());
            sink(bounds(), ImageView{bits_, width_, height_, stride});
            return CaptureStatus::Ok;
        }
        if (emitChangedBands(sink)) return CaptureStatus::Ok;
        const auto now = Clock::now();
        if (now + kPollInterval >= deadline) {
            if (deadline > now) std::this_thread::sleep_for(deadline - now);
            return CaptureStatus::Timeout;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

std::optional<inner::CursorImage> GdiScreenCapturer::cursorShapeIfChanged() {
    return cursor_.shapeIfChanged();
}

std::optional<inner::CursorPosition> GdiScreenCapturer::cursorPosition() { return cursorPositionFrom(originX_, originY_); }

}  // namespace guru::platform::win32
