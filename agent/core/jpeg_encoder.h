// JPEG tiles via libturbojpeg, for photographic or fast-changing content.
#pragma once

#include <memory>

#include "core/byte_reader.h"
#include "core/encode_error.h"
#include "core/image.h"
#include "core/result.h"

namespace guru {

/// Owns one TurboJPEG compressor; reuse it across tiles (not thread-safe).
class JpegEncoder {
public:
    JpegEncoder();
    /// Encodes BGRX pixels as a baseline 4:2:0 JPEG; quality 1..100.
    Result<Bytes, EncodeError> encode(const ImageView& image, int quality = 80);

private:
    struct HandleFree { void operator()(void* h) const; };
    std::unique_ptr<void, HandleFree> handle_;
};

}  // namespace guru
