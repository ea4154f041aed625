// An XShm-backed XImage: one shared memory segment, attached to the X server.
#pragma once

#include <X11/Xlib.h>
#include <X11/extensions/XShm.h>

#include <memory>
#include <optional>

#include "core/image.h"

namespace guru::platform::x11 {

/// Owns the SysV segment, the XImage and the server attachment; releases all three.
class ShmImage {
public:
    /// Creates a width×height 32-bit image; null if XShm is unavailable or fails.
    static std::unique_ptr<ShmImage> create(Display* display, int width, int height);
    ~ShmImage();
    ShmImage(const ShmImage&) = delete;
    ShmImage& operator=(const ShmImage&) = delete;

    /// Reads the rectangle `r` of `drawable` into the segment. The server packs the rows
    /// (stride = r.width * 4), so the result is valid until the next read; nothing on error.
    std::optional<ImageView> read(Drawable drawable, const Rect& r);
    /// Largest rectangle one read can hold.
    int width() const { return image_->width; }
    int height() const { return image_->height; }

private:
    explicit ShmImage(Display* display) : display_(display) { info_.shmid = -1; }

    Display* display_;
    XShmSegmentInfo info_{};
    XImage* image_ = nullptr;
    bool attached_ = false;
};

}  // namespace guru::platform::x11
