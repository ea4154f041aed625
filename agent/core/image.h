// Pixel buffers: 32-bit BGRX (the X11 and DXGI native layout), row stride in bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace guru {

/// Bytes per BGRX pixel.
inline constexpr int kBytesPerPixel = 4;

/// An axis-aligned rectangle in pixels.
struct Rect {
    int x = 0, y = 0, width = 0, height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
    int right() const { return x + width; }
    int bottom() const { return y + height; }
    /// The overlap of two rectangles (empty if none).
    Rect intersect(const Rect& o) const {
        int l = std::max(x, o.x), t = std::max(y, o.y);
        int r = std::min(right(), o.right()), b = std::min(bottom(), o.bottom());
        if (r <= l || b <= t) return {};
        return {l, t, r - l, b - t};
    }
    bool operator==(const Rect&) const = default;
};

/// A non-owning view of BGRX pixels.
struct ImageView {
    const std::byte* data = nullptr;
    int width = 0;
    int height = 0;
    std::size_t stride = 0;

    const std::byte* row(int y) const { return data + static_cast<std::size_t>(y) * stride; }
    /// The pixels of `r`, which must lie inside this view.
    ImageView sub(const Rect& r) const {
        return {row(r.y) + static_cast<std::size_t>(r.x) * kBytesPerPixel, r.width, r.height,
                stride};
    }
    Rect bounds() const { return {0, 0, width, height}; }
};

/// An owned, tightly packed BGRX image.
class Image {
public:
    Image() = default;
    Image(int width, int height)
        : width_(width), height_(height),
          pixels_(static_cast<std::size_t>(width) * height * kBytesPerPixel) {}

    int width() const { return width_; }
    int height() const { return height_; }
    std::size_t stride() const { return static_cast<std::size_t>(width_) * kBytesPerPixel; }
    std::byte* data() { return pixels_.data(); }
    ImageView view() const { return {pixels_.data(), width_, height_, stride()}; }

    /// Writes one pixel (tests and synthetic frames).
    void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        auto* p = pixels_.data() + static_cast<std::size_t>(y) * stride() + x * kBytesPerPixel;
        p[0] = std::byte{b};
        p[1] = std::byte{g};
        p[2] = std::byte{r};
        p[3] = std::byte{0xFF};
    }

private:
    int width_ = 0;
    int height_ = 0;
    std::vector<std::byte> pixels_;
};

}  // namespace guru
