// ScreenCapturer for Windows by GDI BitBlt of the virtual screen. GDI says nothing about
// what changed, so each capture compares against the previous frame in row bands.
#pragma once

#include <vector>

#include "platform/platform.h"
#include "platform/win32/win32_cursor.h"
#include "platform/win32/win32_handles.h"

namespace guru::platform::win32 {

/// Captures the whole virtual screen (every monitor) of the input desktop.
class GdiScreenCapturer final : public ScreenCapturer {
public:
    static Result<std::unique_ptr<GdiScreenCapturer>, BackendError> open();
    ~GdiScreenCapturer() override;

    std::string_view name() const override { return "gdi"; }
    Rect bounds() const override { return {0, 0, width_, height_}; }
    std::vector<inner::Monitor> monitors() override;
    CaptureStatus capture(std::chrono::milliseconds timeout, const RegionSink& sink) override;
    void invalidate() override;
    std::optional<inner::CursorImage> cursorShapeIfChanged() override;
    std::optional<inner::CursorPosition> cursorPosition() override;

private:
    GdiScreenCapturer(int originX, int originY, int width, int height)
        : originX_(originX), originY_(originY), width_(width), height_(height) {}
    bool geometryChanged() const;
    /// Copies the screen into the DIB section; false if GDI refused (desktop switch).
    bool grab();
    /// Hands the row bands that differ from the previous frame to `sink`; true if any.
    bool emitChangedBands(const RegionSink& sink);

    int originX_, originY_, width_, height_;
    UniqueMemoryDc memoryDc_;
    UniqueBitmap dib_;
    HGDIOBJ previousObject_ = nullptr;
    std::byte* bits_ = nullptr;  // owned by dib_
    std::vector<std::byte> previous_;
    bool first_ = true;
    CursorTracker cursor_;
};

}  // namespace guru::platform::win32
