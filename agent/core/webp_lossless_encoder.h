// Lossless WebP tiles via libwebp, the alternative lossless format (see docs/protocol.md).
#pragma once

#include "core/byte_reader.h"
#include "core/encode_error.h"
#include "core/image.h"
#include "core/result.h"

namespace guru {

/// Stateless WebP-lossless encoder; effort 0..100 trades speed for size (method 0 always).
class WebpLosslessEncoder {
public:
    explicit WebpLosslessEncoder(int effort = 0) : effort_(effort) {}
    /// Encodes BGRX pixels (X ignored, alpha opaque).
    Result<Bytes, EncodeError> encode(const ImageView& image) const;

private:
    int effort_;
};

}  // namespace guru
