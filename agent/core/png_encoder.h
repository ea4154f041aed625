// Lossless PNG tiles via libpng (RGB, fast zlib level), for text and UI content.
#pragma once

#include "core/byte_reader.h"
#include "core/encode_error.h"
#include "core/image.h"
#include "core/result.h"

namespace guru {

/// Stateless PNG encoder; zlibLevel 1 favours speed, as tiles are re-sent often.
class PngEncoder {
public:
    explicit PngEncoder(int zlibLevel = 1) : level_(zlibLevel) {}
    /// Encodes BGRX pixels as an 8-bit RGB PNG.
    Result<Bytes, EncodeError> encode(const ImageView& image) const;

private:
    int level_;
};

}  // namespace guru
