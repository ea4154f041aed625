// Cursor bitmaps: GetIconInfo gives a colour bitmap (maybe with alpha) plus an AND mask, or,
// for monochrome cursors, one mask bitmap twice the cursor's height (AND over XOR).
#include "platform/win32/win32_cursor.h"

#include <algorithm>
#include <vector>

#include "platform/win32/win32_handles.h"

namespace guru::platform::win32 {

namespace {

// The bitmap's pixels as top-down 32-bit BGRA.
std::optional<std::vector<std::uint32_t>> readBits(HBITMAP bitmap, int width, int height) {
    BITMAPINFO info{};
    info.bmiHeader.biSize = sizeof info.bmiHeader;
    info.bmiHeader.biWidth = width;
    info.bmiHeader.biHeight = -height;
    info.bmiHeader.biPlanes = 1;
    info.bmiHeader.biBitCount = 32;
    info.bmiHeader.biCompression = BI_RGB;
    std::vector<std::uint32_t> pixels(static_cast<std::size_t>(width) * height);
    WindowDc screen(nullptr);
    if (GetDIBits(screen.get(), bitmap, 0, static_cast<UINT>(height), pixels.data(), &info,
                  DIB_RGB_COLORS) != height) {
        return std::nullopt;
    }
    return pixels;
}

void put(inner::CursorImage& shape, std::size_t i, unsigned r, unsigned g, unsigned b,
         unsigned a) {
    shape.rgba[i * 4 + 0] = std::byte(r);
    shape.rgba[i * 4 + 1] = std::byte(g);
    shape.rgba[i * 4 + 2] = std::byte(b);
    shape.rgba[i * 4 + 3] = std::byte(a);
}

}  // namespace

std::optional<inner::CursorImage> CursorTracker::shapeIfChanged() {
    CURSORINFO info{};
    info.cbSize = sizeof info;
    if (!GetCursorInfo(&info) || !(info.flags & CURSOR_SHOWING) || !info.hCursor) {
        return std::nullopt;
    }
    if (info.hCursor == last_) return std::nullopt;
    auto shape = readCursorShape(info.hCursor);
    if (shape) last_ = info.hCursor;
    return shape;
}

std::optional<inner::CursorImage> readCursorShape(HCURSOR cursor) {
    ICONINFO icon{};
    if (!GetIconInfo(cursor, &icon)) return std::nullopt;
    UniqueBitmap color(icon.hbmColor), mask(icon.hbmMask);
    BITMAP maskInfo{};
    if (!mask || !GetObjectW(mask.get(), sizeof maskInfo, &maskInfo)) return std::nullopt;
    const int width = maskInfo.bmWidth;
    const int height = color ? maskInfo.bmHeight : maskInfo.bmHeight / 2;
    if (width <= 0 || height <= 0 || width > inner::kMaxCursorSide ||
        height > inner::kMaxCursorSide) {
        return std::nullopt;
    }
    auto maskBits = readBits(mask.get(), width, color ? height : height * 2);
    if (!maskBits) return std::nullopt;

    inner::CursorImage shape;
    shape.width = static_cast<std::uint16_t>(width);
    shape.height = static_cast<std::uint16_t>(height);
    shape.hotX = static_cast<std::uint16_t>(std::min<DWORD>(icon.xHotspot, width - 1));
    shape.hotY = static_cast<std::uint16_t>(std::min<DWORD>(icon.yHotspot, height - 1));
    const std::size_t count = static_cast<std::size_t>(width) * height;
    shape.rgba.resize(count * 4);

    if (color) {
        auto colorBits = readBits(color.get(), width, height);
        if (!colorBits) return std::nullopt;
        const bool hasAlpha = std::any_of(colorBits->begin(), colorBits->end(),
                                          [](std::uint32_t p) { return (p >> 24) != 0; });
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint32_t p = (*colorBits)[i];
            unsigned a = p >> 24, r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            if (!hasAlpha) a = ((*maskBits)[i] & 0xFFFFFF) ? 0 : 255;  // AND mask: set = clear
            if (a != 0 && a != 255) {  // GDI cursor alpha is premultiplied
                r = std::min(255u, r * 255 / a);
                g = std::min(255u, g * 255 / a);
                b = std::min(255u, b * 255 / a);
            }
            put(shape, i, r, g, b, a);
        }
        return shape;
    }
    // Monochrome: AND 0/XOR 0 black, AND 0/XOR 1 white, AND 1/XOR 0 transparent, AND 1/XOR 1
    // inverts the screen, which RGBA cannot say: drawn black so the I-beam stays visible.
    for (std::size_t i = 0; i < count; ++i) {
        const bool andBit = ((*maskBits)[i] & 0xFFFFFF) != 0;
        const bool xorBit = ((*maskBits)[i + count] & 0xFFFFFF) != 0;
        if (andBit && !xorBit) {
            put(shape, i, 0, 0, 0, 0);
        } else if (!andBit && xorBit) {
            put(shape, i, 255, 255, 255, 255);
        } else {
            put(shape, i, 0, 0, 0, 255);
        }
    }
    return shape;
}

std::optional<inner::CursorPosition> cursorPositionFrom(int originX, int originY) {
    CURSORINFO info{};
    info.cbSize = sizeof info;
    if (!GetCursorInfo(&info)) return std::nullopt;
    return inner::CursorPosition{info.ptScreenPos.x - originX, info.ptScreenPos.y - originY,
                                 (info.flags & CURSOR_SHOWING) != 0};
}

}  // namespace guru::platform::win32
