// guru::WebpLosslessEncoder in the Windows build: there is no libwebp for mingw-w64 in
// Debian and WIC has no WebP encoder, so every call fails. GURU_NO_WEBP makes PNG the
// default lossless format, so a session never asks for WebP on Windows.
#include "core/webp_lossless_encoder.h"

namespace guru {

Result<Bytes, EncodeError> WebpLosslessEncoder::encode(const ImageView&) const {
    (void)effort_;
    return Failure{EncodeError::LibraryFailure};
}

}  // namespace guru
