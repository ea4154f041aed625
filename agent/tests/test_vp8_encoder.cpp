// The VP8 encoder of the video mode, loaded the way the agent loads it
// (platform::videoEncoders, dlopen of libvpx and libyuv): a keyframe first, smaller delta
// frames after it, and what libvpx's own decoder makes of them is the picture that went in.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <libyuv.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "platform/platform.h"

using namespace guru;
using namespace std::chrono_literals;

namespace {

constexpr int kW = 320, kH = 240;

Image movingPattern(int shift) {
    Image img(kW, kH);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const int u = x + shift;
            img.set(x, y, (u * 3 + y) & 0xFF, (u / 2 + y * 2) & 0xFF, static_cast<int>(128 + 100 * std::sin(u / 17.0)) & 0xFF);
        }
    return img;
}

/// Luma PSNR of a decoded frame against the source converted by libyuv.
double lumaPsnr(const vpx_image_t& decoded, const Image& source) {
    std::vector<std::uint8_t> y(kW * kH), u((kW / 2) * (kH / 2)), v((kW / 2) * (kH / 2));
    const ImageView view = source.view();
    libyuv::ARGBToI420(reinterpret_cast<const std::uint8_t*>(view.data), static_cast<int>(view.stride),
                       y.data(), kW, u.data(), kW / 2, v.data(), kW / 2, kW, kH);
    double sum = 0;
    for (int row = 0; row < kH; ++row)
        for (int col = 0; col < kW; ++col) {
            const double d = decoded.planes[VPX_PLANE_Y][row * decoded.stride[VPX_PLANE_Y] + col] - y[row * kW + col];
            sum += d * d;
        }
    const double mse = sum / (kW * kH);
    return mse == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace

TEST_CASE("VP8 frames decode back to the picture, keyframe first, deltas smaller") {
    VideoEncoderFactory factory = platform::videoEncoders();
    REQUIRE_MESSAGE(factory, "libvpx and libyuv must be installed for this test (apt: libvpx7 libyuv0)");
    auto encoder = factory(kW, kH);
    REQUIRE(encoder.ok());

    vpx_codec_ctx_t decoder{};
    REQUIRE(vpx_codec_dec_init(&decoder, vpx_codec_vp8_dx(), nullptr, 0) == VPX_CODEC_OK);
    std::size_t keyBytes = 0, deltaBytes = 0;
    for (int i = 0; i < 6; ++i) {
        const Image picture = movingPattern(i * 4);
        auto frame = (*encoder)->encode(picture.view(), i == 0, std::chrono::milliseconds(i * 33));
        REQUIRE(frame.ok());
        CHECK(frame->keyframe == (i == 0));
        (i == 0 ? keyBytes : deltaBytes) += frame->data.size();
        REQUIRE(vpx_codec_decode(&decoder, reinterpret_cast<const std::uint8_t*>(frame->data.data()),
                                 static_cast<unsigned>(frame->data.size()), nullptr, 0) == VPX_CODEC_OK);
        vpx_codec_iter_t iter = nullptr;
        const vpx_image_t* out = vpx_codec_get_frame(&decoder, &iter);
        REQUIRE(out != nullptr);
        CHECK(out->d_w == static_cast<unsigned>(kW));
        CHECK(out->d_h == static_cast<unsigned>(kH));
        CHECK(lumaPsnr(*out, picture) > 30.0);
    }
    CHECK(deltaBytes / 5 < keyBytes);
    // A slow link's tier lowers the bitrate; the stream goes on decoding.
    (*encoder)->setTier(QualityTier::Low);
    for (int i = 6; i < 10; ++i) {
        const Image picture = movingPattern(i * 4);
        auto frame = (*encoder)->encode(picture.view(), false, std::chrono::milliseconds(i * 33));
        REQUIRE(frame.ok());
        CHECK_FALSE(frame->keyframe);
        REQUIRE(vpx_codec_decode(&decoder, reinterpret_cast<const std::uint8_t*>(frame->data.data()),
                                 static_cast<unsigned>(frame->data.size()), nullptr, 0) == VPX_CODEC_OK);
        vpx_codec_iter_t iter = nullptr;
        const vpx_image_t* out = vpx_codec_get_frame(&decoder, &iter);
        REQUIRE(out != nullptr);
        CHECK(lumaPsnr(*out, picture) > 25.0);
    }
    // A forced keyframe mid-stream is one.
    auto again = (*encoder)->encode(movingPattern(100).view(), true, 500ms);
    REQUIRE(again.ok());
    CHECK(again->keyframe);
    vpx_codec_destroy(&decoder);

    // Bad input is refused, not encoded.
    CHECK(factory(0, 10).error() == EncodeError::InvalidImage);
    Image wrong(kW + 2, kH);
    CHECK((*encoder)->encode(wrong.view(), false, 600ms).error() == EncodeError::InvalidImage);
}
