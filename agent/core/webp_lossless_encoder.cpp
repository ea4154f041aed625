// libwebp lossless encoding with RAII around WebPPicture and WebPMemoryWriter.
#include "core/webp_lossless_encoder.h"

#include <webp/encode.h>

#include <memory>

namespace guru {
namespace {

struct PictureGuard {
    WebPPicture picture{};
    ~PictureGuard() { WebPPictureFree(&picture); }
};
struct WriterGuard {
    WebPMemoryWriter writer{};
    ~WriterGuard() { WebPMemoryWriterClear(&writer); }
};

}  // namespace

Result<Bytes, EncodeError> WebpLosslessEncoder::encode(const ImageView& image) const {
    if (!image.data || image.width <= 0 || image.height <= 0) {
        return Failure{EncodeError::InvalidImage};
    }
    WebPConfig config;
    if (!WebPConfigInit(&config)) return Failure{EncodeError::LibraryFailure};
    config.lossless = 1;
    config.method = 0;
    config.quality = static_cast<float>(effort_);
    PictureGuard pic;
    WriterGuard out;
    if (!WebPPictureInit(&pic.picture)) return Failure{EncodeError::LibraryFailure};
    WebPMemoryWriterInit(&out.writer);
    pic.picture.use_argb = 1;
    pic.picture.width = image.width;
    pic.picture.height = image.height;
    pic.picture.writer = WebPMemoryWrite;
    pic.picture.custom_ptr = &out.writer;
    if (!WebPPictureImportBGRX(&pic.picture, reinterpret_cast<const uint8_t*>(image.data),
                               static_cast<int>(image.stride)) ||
        !WebPEncode(&config, &pic.picture)) {
        return Failure{EncodeError::LibraryFailure};
    }
    auto* begin = reinterpret_cast<const std::byte*>(out.writer.mem);
    return Bytes(begin, begin + out.writer.size);
}

}  // namespace guru
