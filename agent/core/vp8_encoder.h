// VP8 through libvpx, with BGRX → I420 by libyuv, for the video mode. Both libraries are
// reached through a table of entry points that the platform fills (dlopen on Linux), so the
// agent binary stays small and runs, in tile mode, where they are not installed.
#pragma once

#include <cstdint>
#include <memory>

#include <vpx/vpx_encoder.h>

#include "core/video_encoder.h"

namespace guru {

/// The libvpx and libyuv functions the encoder calls.
struct VideoCodecApi {
    vpx_codec_iface_t* (*vp8Iface)();
    vpx_codec_err_t (*configDefault)(vpx_codec_iface_t*, vpx_codec_enc_cfg_t*, unsigned int);
    vpx_codec_err_t (*init)(vpx_codec_ctx_t*, vpx_codec_iface_t*, const vpx_codec_enc_cfg_t*,
                            vpx_codec_flags_t, int abiVersion);
    vpx_codec_err_t (*configSet)(vpx_codec_ctx_t*, const vpx_codec_enc_cfg_t*);
    vpx_codec_err_t (*control)(vpx_codec_ctx_t*, int, ...);
    vpx_codec_err_t (*encode)(vpx_codec_ctx_t*, const vpx_image_t*, vpx_codec_pts_t, unsigned long,
                              vpx_enc_frame_flags_t, unsigned long);
    const vpx_codec_cx_pkt_t* (*packets)(vpx_codec_ctx_t*, vpx_codec_iter_t*);
    vpx_codec_err_t (*destroy)(vpx_codec_ctx_t*);
    int (*argbToI420)(const std::uint8_t*, int, std::uint8_t*, int, std::uint8_t*, int, std::uint8_t*,
                      int, int, int);
};

/// Realtime VP8 tuned for screens: no lookahead, 2 threads, fastest speed, bitrate-bound.
class Vp8Encoder final : public VideoEncoder {
public:
    /// Average bitrate the rate control aims at, per 1920×1080 (scaled by area).
    static constexpr unsigned kKbpsPer1080p = 6000;

    /// Opens a stream, or fails with LibraryFailure (bad size, ABI mismatch).
    static Result<std::unique_ptr<VideoEncoder>, EncodeError> open(const VideoCodecApi& api, int width,
                                                                   int height);
    ~Vp8Encoder() override;
    Vp8Encoder(const Vp8Encoder&) = delete;
    Vp8Encoder& operator=(const Vp8Encoder&) = delete;

    Result<VideoFrame, EncodeError> encode(const ImageView& frame, bool keyframe,
                                           std::chrono::milliseconds at) override;
    void setTier(QualityTier tier) override;

private:
    Vp8Encoder(const VideoCodecApi& api, int width, int height);

    const VideoCodecApi& api_;
    int width_, height_;
    vpx_codec_ctx_t codec_{};
    vpx_codec_enc_cfg_t cfg_{};
    unsigned fullKbps_ = 0;
    QualityTier tier_ = QualityTier::Full;
    bool open_ = false;
    Bytes i420_;  // the converted frame, reused
    std::chrono::milliseconds last_{-1};
};

}  // namespace guru
