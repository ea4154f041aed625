// TurboJPEG compression of BGRX views.
#include "core/jpeg_encoder.h"

#include <turbojpeg.h>

namespace guru {

void JpegEncoder::HandleFree::operator()(void* h) const { tjDestroy(static_cast<tjhandle>(h)); }

JpegEncoder::JpegEncoder() : handle_(tjInitCompress()) {}

Result<Bytes, EncodeError> JpegEncoder::encode(const ImageView& image, int quality) {
    if (!handle_) return Failure{EncodeError::LibraryFailure};
    if (!image.data || image.width <= 0 || image.height <= 0 || quality < 1 || quality > 100) {
        return Failure{EncodeError::InvalidImage};
    }
    unsigned char* out = nullptr;
    unsigned long size = 0;
    int rc = tjCompress2(static_cast<tjhandle>(handle_.get()),
                         reinterpret_cast<const unsigned char*>(image.data), image.width,
                         static_cast<int>(image.stride), image.height, TJPF_BGRX, &out, &size,
                         TJSAMP_420, quality, TJFLAG_FASTDCT);
    std::unique_ptr<unsigned char, decltype(&tjFree)> owned(out, &tjFree);
    if (rc != 0 || !out) return Failure{EncodeError::LibraryFailure};
    auto* begin = reinterpret_cast<const std::byte*>(out);
    return Bytes(begin, begin + size);
}

}  // namespace guru
