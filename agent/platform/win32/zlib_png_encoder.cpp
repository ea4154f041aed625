// guru::PngEncoder for Windows: the PNG container written here over zlib (Debian's
// libz-mingw-w64-dev; there is no libpng for mingw). WIC can write PNG too, but under Wine 8
// it cost about 0.45 ms per 64x64 tile, so a 1080p first frame took ~250 ms to encode.
// CMake compiles this file instead of core/png_encoder.cpp; the header is the core's.
#include <zlib.h>

#include <array>
#include <cstring>

#include "core/png_encoder.h"

namespace guru {

namespace {

void putBe32(Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::byte((v >> shift) & 0xFF));
}

void putChunk(Bytes& out, const char (&type)[5], const std::byte* data, std::size_t size) {
    putBe32(out, static_cast<std::uint32_t>(size));
    const std::size_t typeAt = out.size();
    for (int i = 0; i < 4; ++i) out.push_back(std::byte(type[i]));
    out.insert(out.end(), data, data + size);
    const auto crc = crc32(crc32(0L, nullptr, 0), reinterpret_cast<const Bytef*>(out.data() + typeAt),
                           static_cast<uInt>(size + 4));
    putBe32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

Result<Bytes, EncodeError> PngEncoder::encode(const ImageView& image) const {
    if (!image.data || image.width <= 0 || image.height <= 0) {
        return Failure{EncodeError::InvalidImage};
    }
    // Rows as PNG wants them: a filter byte, then RGB. Filter Sub (each byte minus the one a
    // pixel to its left): flat runs become zeros, as libpng's fast settings do in core/.
    const std::size_t rowBytes = 1 + static_cast<std::size_t>(image.width) * 3;
    Bytes raw(rowBytes * static_cast<std::size_t>(image.height));
    for (int y = 0; y < image.height; ++y) {
        const std::byte* src = image.row(y);
        std::byte* dst = raw.data() + rowBytes * static_cast<std::size_t>(y);
        dst[0] = std::byte{1};  // Sub
        std::uint8_t left[3] = {0, 0, 0};
        for (int x = 0; x < image.width; ++x, src += 4) {
            const std::uint8_t rgb[3] = {std::to_integer<std::uint8_t>(src[2]), std::to_integer<std::uint8_t>(src[1]),
                                         std::to_integer<std::uint8_t>(src[0])};
            for (int c = 0; c < 3; ++c) {
                dst[1 + x * 3 + c] = std::byte(static_cast<std::uint8_t>(rgb[c] - left[c]));
                left[c] = rgb[c];
            }
        }
    }
    uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
    Bytes packed(packedSize);
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packedSize,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), level_) != Z_OK) {
        return Failure{EncodeError::LibraryFailure};
    }
    Bytes out;
    out.reserve(packedSize + 64);
    constexpr std::array<std::uint8_t, 8> kSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    for (auto b : kSignature) out.push_back(std::byte(b));
    Bytes header;
    putBe32(header, static_cast<std::uint32_t>(image.width));
    putBe32(header, static_cast<std::uint32_t>(image.height));
    for (std::uint8_t b : {8, 2, 0, 0, 0}) header.push_back(std::byte(b));  // 8-bit RGB
    putChunk(out, "IHDR", header.data(), header.size());
    putChunk(out, "IDAT", packed.data(), packedSize);
    putChunk(out, "IEND", nullptr, 0);
    return out;
}

}  // namespace guru
