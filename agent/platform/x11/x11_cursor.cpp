// XFixes cursor image conversion (premultiplied ARGB in longs → straight RGBA bytes).
#include "platform/x11/x11_cursor.h"

#include <X11/extensions/Xfixes.h>

#include <memory>

namespace guru::platform::x11 {

std::optional<inner::CursorImage> readCursorImage(Display* display) {
    std::unique_ptr<XFixesCursorImage, decltype(&XFree)> image(XFixesGetCursorImage(display),
                                                               &XFree);
    if (!image || image->width == 0 || image->height == 0 ||
        image->width > inner::kMaxCursorSide || image->height > inner::kMaxCursorSide) {
        return std::nullopt;
    }
    inner::CursorImage shape;
    shape.width = image->width;
    shape.height = image->height;
    shape.hotX = std::min<std::uint16_t>(image->xhot, image->width - 1);
    shape.hotY = std::min<std::uint16_t>(image->yhot, image->height - 1);
    const std::size_t count = std::size_t{shape.width} * shape.height;
    shape.rgba.resize(count * 4);
    for (std::size_t i = 0; i < count; ++i) {
        // Each pixel is a 32-bit ARGB value stored in an unsigned long.
        auto argb = static_cast<std::uint32_t>(image->pixels[i]);
        unsigned a = argb >> 24, r = (argb >> 16) & 0xFF, g = (argb >> 8) & 0xFF, b = argb & 0xFF;
        if (a != 0 && a != 255) {  // un-premultiply
            r = std::min(255u, r * 255 / a);
            g = std::min(255u, g * 255 / a);
            b = std::min(255u, b * 255 / a);
        }
        shape.rgba[i * 4 + 0] = std::byte(r);
        shape.rgba[i * 4 + 1] = std::byte(g);
        shape.rgba[i * 4 + 2] = std::byte(b);
        shape.rgba[i * 4 + 3] = std::byte(a);
    }
    return shape;
}

std::optional<inner::CursorPosition> queryPointer(Display* display, Window root) {
    Window rootReturn = 0, child = 0;
    int rootX = 0, rootY = 0, winX = 0, winY = 0;
    unsigned int mask = 0;
    if (!XQueryPointer(display, root, &rootReturn, &child, &rootX, &rootY, &winX, &winY, &mask)) {
        return std::nullopt;  // pointer is on another screen
    }
    return inner::CursorPosition{rootX, rootY, true};
}

}  // namespace guru::platform::x11
