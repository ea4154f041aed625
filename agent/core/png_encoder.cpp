// libpng writing into memory. libpng reports errors by longjmp; this file owns that
// boundary and keeps C++ objects with destructors out of the setjmp frame.
#include "core/png_encoder.h"

#include <png.h>

#include <csetjmp>

namespace guru {
namespace {

void appendToBuffer(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
    auto* p = reinterpret_cast<const std::byte*>(data);
    out->insert(out->end(), p, p + length);
}

void noFlush(png_structp) {}

// Returns false on any libpng error. No non-trivial locals live across setjmp.
bool writePng(png_structp png, png_infop info, const ImageView& image, int level, Bytes* out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_write_fn(png, out, appendToBuffer, noFlush);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
                 static_cast<png_uint_32>(image.height), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB | PNG_FILTER_UP);
    png_write_info(png, info);
    png_set_bgr(png);
    png_set_filler(png, 0, PNG_FILLER_AFTER);  // drop the X byte of BGRX
    for (int y = 0; y < image.height; ++y) {
        png_write_row(png, reinterpret_cast<png_const_bytep>(image.row(y)));
    }
    png_write_end(png, nullptr);
    return true;
}

}  // namespace

Result<Bytes, EncodeError> PngEncoder::encode(const ImageView& image) const {
    if (!image.data || image.width <= 0 || image.height <= 0) {
        return Failure{EncodeError::InvalidImage};
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (!png) return Failure{EncodeError::LibraryFailure};
    png_infop info = png_create_info_struct(png);
    Bytes out;
    out.reserve(static_cast<std::size_t>(image.width) * image.height);
    bool ok = info && writePng(png, info, image, level_, &out);
    png_destroy_write_struct(&png, info ? &info : nullptr);
    if (!ok) return Failure{EncodeError::LibraryFailure};
    return out;
}

}  // namespace guru
