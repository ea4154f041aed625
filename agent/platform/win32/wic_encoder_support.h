// WIC (Windows Imaging Component) JPEG encoding for the JPEG tile encoder.
#pragma once

#include <optional>

#include "core/byte_reader.h"
#include "core/encode_error.h"
#include "core/image.h"
#include "core/result.h"

namespace guru::platform::win32 {

/// Encodes BGRX pixels with WIC's JPEG codec as 24-bit BGR, quality 1..100, asking for
/// 4:2:0 where the codec supports choosing. Initialises COM (MTA) on the calling thread the
/// first time and keeps one WIC factory per thread.
Result<Bytes, EncodeError> encodeJpegWithWic(const ImageView& image, int quality);

}  // namespace guru::platform::win32
