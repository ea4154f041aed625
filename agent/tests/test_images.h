// Synthetic images the encoder tests feed to every backend's encoders (libjpeg-turbo/libpng/
// libwebp in tests/test_encoders.cpp, WIC/zlib in platform/win32/tests/test_wic_encoders.cpp),
// so that both builds are checked against the same content.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/image.h"

namespace guru::test {

/// A smooth, photo-like gradient with some texture (classified Photographic).
inline Image photo(int w, int h) {
    Image img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.set(x, y, (x * 255) / w, (y * 255) / h,
                    static_cast<std::uint8_t>(128 + 60 * std::sin(x * 0.07) * std::cos(y * 0.05)));
    return img;
}

/// A UI-like picture: flat background, a few text-coloured strokes (classified FewColours).
inline Image ui(int w, int h) {
    Image img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            bool ink = (y % 12 < 8) && ((x * 7 + y * 3) % 11 < 3);
            ink ? img.set(x, y, 30, 30, 30) : img.set(x, y, 245, 245, 250);
        }
    return img;
}

}  // namespace guru::test
