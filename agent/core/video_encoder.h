// A video stream of whole desktop frames, for full-screen motion (docs/protocol.md §4, TileUpdate
// encoding 4). One encoder per viewer: a stream's frames depend on each other, and each viewer
// takes frames at its own pace. The codec comes from the platform (platform::videoEncoders),
// so the core neither links nor knows libvpx; tests inject their own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "core/byte_reader.h"
#include "core/encode_error.h"
#include "core/image.h"
#include "core/link_quality.h"
#include "core/result.h"

namespace guru {

/// One encoded frame of a stream.
struct VideoFrame {
    Bytes data;             // the codec's frame, without the protocol's flags byte
    bool keyframe = false;  // decodable on its own: a new stream starts here
};

/// Encodes successive frames of one stream; not thread-safe (the screen thread owns it).
class VideoEncoder {
public:
    virtual ~VideoEncoder() = default;
    /// Encodes `frame` (the stream's size). `keyframe` forces a keyframe (a stream start or a
    /// resend); `at` is the frame's time since the stream began, for rate control.
    virtual Result<VideoFrame, EncodeError> encode(const ImageView& frame, bool keyframe,
                                                   std::chrono::milliseconds at) = 0;
    /// Follows the viewer's link: a lower tier lowers the bitrate from the next frame on.
    virtual void setTier(QualityTier tier) = 0;
};

/// Opens an encoder for a width × height stream.
using VideoEncoderFactory =
    std::function<Result<std::unique_ptr<VideoEncoder>, EncodeError>(int width, int height)>;

}  // namespace guru
