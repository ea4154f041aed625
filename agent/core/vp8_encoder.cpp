// libvpx realtime settings as in its own vpx_temporal_svc_encoder/realtime examples: zero
// lag, error resilience off (every frame is delivered, in order, or the stream restarts with
// a keyframe), keyframes only when asked for.
#include "core/vp8_encoder.h"

#include <algorithm>

// vp8cx.h (for the VP8E_* control ids) defines inline wrappers around vpx_codec_control_, which
// this binary does not link: libvpx is reached only through VideoCodecApi. The wrappers are
// pointed at a local stub that nothing calls.
extern "C" vpx_codec_err_t guru_vpx_codec_control_unlinked(vpx_codec_ctx_t*, int, ...) { return VPX_CODEC_ERROR; }
#define vpx_codec_control_ guru_vpx_codec_control_unlinked
#include <vpx/vp8cx.h>
#undef vpx_codec_control_

namespace guru {

Vp8Encoder::Vp8Encoder(const VideoCodecApi& api, int width, int height)
    : api_(api), width_(width), height_(height) {}

Result<std::unique_ptr<VideoEncoder>, EncodeError> Vp8Encoder::open(const VideoCodecApi& api, int width,
                                                                    int height) {
    if (width <= 0 || height <= 0 || width > 16383 || height > 16383) return Failure{EncodeError::InvalidImage};
    std::unique_ptr<Vp8Encoder> encoder(new Vp8Encoder(api, width, height));
    vpx_codec_enc_cfg_t& cfg = encoder->cfg_;
    if (api.configDefault(api.vp8Iface(), &cfg, 0) != VPX_CODEC_OK) return Failure{EncodeError::LibraryFailure};
    cfg.g_w = static_cast<unsigned>(width);
    cfg.g_h = static_cast<unsigned>(height);
    cfg.g_timebase = {1, 1000};  // timestamps in ms: frames come as fast as the viewer takes them
    cfg.g_threads = 2;
    cfg.g_lag_in_frames = 0;
    cfg.g_error_resilient = 0;
    cfg.rc_end_usage = VPX_CBR;
    const double area = static_cast<double>(width) * height / (1920.0 * 1080.0);
    encoder->fullKbps_ = std::max(500u, static_cast<unsigned>(kKbpsPer1080p * area));
    cfg.rc_target_bitrate = encoder->fullKbps_;
    cfg.rc_min_quantizer = 4;
    cfg.rc_max_quantizer = 56;
    cfg.rc_undershoot_pct = 50;
    cfg.rc_overshoot_pct = 50;
    cfg.rc_buf_initial_sz = 500;
    cfg.rc_buf_optimal_sz = 600;
    cfg.rc_buf_sz = 1000;
    cfg.rc_dropframe_thresh = 0;  // dropping is the flow control's job
    cfg.kf_mode = VPX_KF_DISABLED;
    if (api.init(&encoder->codec_, api.vp8Iface(), &cfg, 0, VPX_ENCODER_ABI_VERSION) != VPX_CODEC_OK) {
        return Failure{EncodeError::LibraryFailure};
    }
    encoder->open_ = true;
    api.control(&encoder->codec_, VP8E_SET_CPUUSED, 12);
    api.control(&encoder->codec_, VP8E_SET_STATIC_THRESHOLD, 1u);
    api.control(&encoder->codec_, VP8E_SET_SCREEN_CONTENT_MODE, 1u);
    encoder->i420_.resize(static_cast<std::size_t>(width) * height +
                          2 * static_cast<std::size_t>((width + 1) / 2) * ((height + 1) / 2));
    return std::unique_ptr<VideoEncoder>(std::move(encoder));
}

void Vp8Encoder::setTier(QualityTier tier) {
    if (tier == tier_ || !open_) return;
    tier_ = tier;
    const double rate = tierSettings(tier, 0, 0).videoRate;
    cfg_.rc_target_bitrate = std::max(200u, static_cast<unsigned>(fullKbps_ * rate));
    api_.configSet(&codec_, &cfg_);  // a refusal keeps the old rate: nothing to undo
}

Vp8Encoder::~Vp8Encoder() {
    if (open_) api_.destroy(&codec_);
}

Result<VideoFrame, EncodeError> Vp8Encoder::encode(const ImageView& frame, bool keyframe,
                                                   std::chrono::milliseconds at) {
    if (frame.width != width_ || frame.height != height_ || !frame.data) return Failure{EncodeError::InvalidImage};
    const int chromaW = (width_ + 1) / 2, chromaH = (height_ + 1) / 2;
    auto* y = reinterpret_cast<std::uint8_t*>(i420_.data());
    std::uint8_t* u = y + static_cast<std::size_t>(width_) * height_;
    std::uint8_t* v = u + static_cast<std::size_t>(chromaW) * chromaH;
    // BGRX in memory is libyuv's "ARGB" (little-endian words).
    if (api_.argbToI420(reinterpret_cast<const std::uint8_t*>(frame.data), static_cast<int>(frame.stride), y,
                        width_, u, chromaW, v, chromaW, width_, height_) != 0) {
        return Failure{EncodeError::LibraryFailure};
    }
    vpx_image_t image{};
    image.fmt = VPX_IMG_FMT_I420;
    image.w = image.d_w = static_cast<unsigned>(width_);
    image.h = image.d_h = static_cast<unsigned>(height_);
    image.x_chroma_shift = image.y_chroma_shift = 1;
    image.bps = 12;
    image.planes[VPX_PLANE_Y] = y;
    image.planes[VPX_PLANE_U] = u;
    image.planes[VPX_PLANE_V] = v;
    image.stride[VPX_PLANE_Y] = width_;
    image.stride[VPX_PLANE_U] = image.stride[VPX_PLANE_V] = chromaW;

    if (at <= last_) at = last_ + std::chrono::milliseconds(1);  // strictly increasing
    const auto duration = last_.count() < 0 ? 33 : std::clamp<long long>((at - last_).count(), 1, 1000);
    last_ = at;
    const vpx_enc_frame_flags_t flags = keyframe ? VPX_EFLAG_FORCE_KF : 0;
    if (api_.encode(&codec_, &image, at.count(), static_cast<unsigned long>(duration), flags,
                    VPX_DL_REALTIME) != VPX_CODEC_OK) {
        return Failure{EncodeError::LibraryFailure};
    }
    VideoFrame out;
    vpx_codec_iter_t iter = nullptr;
    while (const vpx_codec_cx_pkt_t* packet = api_.packets(&codec_, &iter)) {
        if (packet->kind != VPX_CODEC_CX_FRAME_PKT) continue;
        const auto* bytes = static_cast<const std::byte*>(packet->data.frame.buf);
        out.data.insert(out.data.end(), bytes, bytes + packet->data.frame.sz);
        out.keyframe = out.keyframe || (packet->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
    }
    if (out.data.empty()) return Failure{EncodeError::LibraryFailure};  // no frame dropping: never expected
    return out;
}

}  // namespace guru
