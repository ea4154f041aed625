// guru::PngEncoder in the Linux release build (GURU_PNG=OFF): sessions on Linux send lossless
// tiles as WebP, so libpng and zlib (0.26 MB) stay out of the shipped binary; every call fails.
// `--capture --format png` says so instead of encoding.
#include "core/png_encoder.h"

namespace guru {

Result<Bytes, EncodeError> PngEncoder::encode(const ImageView&) const {
    (void)level_;
    return Failure{EncodeError::LibraryFailure};
}

}  // namespace guru
