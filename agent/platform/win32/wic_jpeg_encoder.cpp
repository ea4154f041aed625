// guru::JpegEncoder for Windows: WIC's JPEG codec (part of Windows) in place of TurboJPEG.
// CMake compiles this file instead of core/jpeg_encoder.cpp; the header is the same.
#include "core/jpeg_encoder.h"

#include "platform/win32/wic_encoder_support.h"

namespace guru {

// WIC keeps its factory per thread (see wic_encoder_support.cpp): no handle to own here.
void JpegEncoder::HandleFree::operator()(void*) const {}

JpegEncoder::JpegEncoder() = default;

Result<Bytes, EncodeError> JpegEncoder::encode(const ImageView& image, int quality) {
    if (quality < 1 || quality > 100) return Failure{EncodeError::InvalidImage};
    return platform::win32::encodeJpegWithWic(image, quality);
}

}  // namespace guru
