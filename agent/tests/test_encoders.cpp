// Encoders decode back to the input: PNG and WebP lossless exactly, JPEG above a PSNR floor.
#include <doctest/doctest.h>
#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "core/encode_manager.h"
#include "tests/test_images.h"

using namespace guru;
using guru::test::photo;
using guru::test::ui;

namespace {

// BGRA pixels of the image with X forced opaque, tightly packed.
std::vector<std::uint8_t> bgra(const ImageView& v) {
    std::vector<std::uint8_t> out;
    for (int y = 0; y < v.height; ++y)
        for (int x = 0; x < v.width; ++x) {
            const std::byte* p = v.row(y) + x * 4;
            out.insert(out.end(), {std::to_integer<std::uint8_t>(p[0]),
                                   std::to_integer<std::uint8_t>(p[1]),
                                   std::to_integer<std::uint8_t>(p[2]), 255});
        }
    return out;
}

double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    REQUIRE(a.size() == b.size());
    double se = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (i % 4 == 3) continue;
        double d = double(a[i]) - double(b[i]);
        se += d * d;
        ++n;
    }
    if (se == 0) return 99;
    return 10 * std::log10(255.0 * 255.0 / (se / n));
}

std::vector<std::uint8_t> decodeJpeg(const Bytes& data, int w, int h) {
    std::unique_ptr<void, decltype(&tjDestroy)> tj(tjInitDecompress(), &tjDestroy);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(w) * h * 4);
    int rc = tjDecompress2(tj.get(), reinterpret_cast<const unsigned char*>(data.data()),
                           data.size(), out.data(), w, w * 4, h, TJPF_BGRA, 0);
    REQUIRE(rc == 0);
    return out;
}

std::vector<std::uint8_t> decodePng(const Bytes& data, int w, int h) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    REQUIRE(png_image_begin_read_from_memory(&image, data.data(), data.size()));
    CHECK(image.width == static_cast<png_uint_32>(w));
    CHECK(image.height == static_cast<png_uint_32>(h));
    CHECK((image.format & PNG_FORMAT_FLAG_ALPHA) == 0);  // RGB: no alpha channel sent
    image.format = PNG_FORMAT_BGRA;
    std::vector<std::uint8_t> out(PNG_IMAGE_SIZE(image));
    REQUIRE(png_image_finish_read(&image, nullptr, out.data(), 0, nullptr));
    return out;
}

std::vector<std::uint8_t> decodeWebp(const Bytes& data, int w, int h) {
    int dw = 0, dh = 0;
    std::unique_ptr<std::uint8_t, decltype(&WebPFree)> px(
        WebPDecodeBGRA(reinterpret_cast<const std::uint8_t*>(data.data()), data.size(), &dw, &dh),
        &WebPFree);
    REQUIRE(px);
    REQUIRE(dw == w);
    REQUIRE(dh == h);
    return {px.get(), px.get() + static_cast<std::size_t>(w) * h * 4};
}

}  // namespace

TEST_CASE("JPEG round trip stays above 30 dB, including a strided sub-view") {
    Image img = photo(256, 192);
    JpegEncoder jpeg;
    auto data = jpeg.encode(img.view(), 80);
    REQUIRE(data.ok());
    CHECK(data->size() < img.view().stride * 192 / 4);
    CHECK(psnr(decodeJpeg(*data, 256, 192), bgra(img.view())) > 30.0);

    ImageView sub = img.view().sub({16, 8, 64, 64});
    auto tile = jpeg.encode(sub, 80);
    REQUIRE(tile.ok());
    CHECK(psnr(decodeJpeg(*tile, 64, 64), bgra(sub)) > 30.0);
    CHECK(jpeg.encode(sub, 0).error() == EncodeError::InvalidImage);
}

TEST_CASE("PNG and WebP lossless round trips are exact") {
    for (const Image& img : {ui(64, 64), photo(100, 37)}) {
        auto png = PngEncoder().encode(img.view());
        REQUIRE(png.ok());
        CHECK(decodePng(*png, img.width(), img.height()) == bgra(img.view()));
        auto webp = WebpLosslessEncoder().encode(img.view());
        REQUIRE(webp.ok());
        CHECK(decodeWebp(*webp, img.width(), img.height()) == bgra(img.view()));
    }
    Image big = ui(128, 128);
    ImageView sub = big.view().sub({64, 64, 64, 64});
    auto png = PngEncoder().encode(sub);
    REQUIRE(png.ok());
    CHECK(decodePng(*png, 64, 64) == bgra(sub));
}

TEST_CASE("classifier separates UI tiles from photographic ones") {
    CHECK(classifyTile(ui(64, 64).view()) == TileContent::FewColours);
    CHECK(classifyTile(photo(64, 64).view()) == TileContent::Photographic);
}

TEST_CASE("encode manager: lossless for UI, JPEG for photos, and it refuses bad rects") {
    Image frame(128, 64);
    Image u = ui(64, 64), p = photo(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) {
            std::memcpy(frame.data() + y * frame.stride() + x * 4, u.view().row(y) + x * 4, 4);
            std::memcpy(frame.data() + y * frame.stride() + (64 + x) * 4, p.view().row(y) + x * 4, 4);
        }
    EncodeManager manager({80, 256, LosslessFormat::Png});
    auto left = manager.encodeTile(frame.view(), {0, 0, 64, 64});
    auto right = manager.encodeTile(frame.view(), {64, 0, 64, 64});
    REQUIRE((left.ok() && right.ok()));
    CHECK(left->encoding == inner::TileEncoding::Png);
    CHECK(right->encoding == inner::TileEncoding::Jpeg);
    CHECK(right->x == 64);
    CHECK(decodePng(left->data, 64, 64) == bgra(u.view()));

    EncodeManager webp;  // the default lossless format is WebP
    auto w = webp.encodeTile(frame.view(), {0, 0, 64, 64});
    REQUIRE(w.ok());
    CHECK(w->encoding == inner::TileEncoding::WebpLossless);
    CHECK(decodeWebp(w->data, 64, 64) == bgra(u.view()));

    // A moving photo is JPEG at the lower motion quality: smaller than the still one.
    auto moving = manager.encodeRect(frame.view(), {64, 0, 64, 64}, TileContent::Moving);
    REQUIRE(moving.ok());
    CHECK(moving->encoding == inner::TileEncoding::Jpeg);
    CHECK(moving->data.size() < right->data.size());
    // A slow link's tiers give smaller JPEGs of the same photo.
    auto reduced = manager.encodeRect(frame.view(), {64, 0, 64, 64}, TileContent::Photographic, QualityTier::Reduced);
    auto low = manager.encodeRect(frame.view(), {64, 0, 64, 64}, TileContent::Photographic, QualityTier::Low);
    REQUIRE((reduced.ok() && low.ok()));
    CHECK(reduced->data.size() < right->data.size());
    CHECK(low->data.size() < reduced->data.size());
    // A refinement is lossless whatever the pixels.
    auto refined = manager.encodeRect(frame.view(), {64, 0, 64, 64}, TileContent::FewColours);
    REQUIRE(refined.ok());
    CHECK(refined->encoding == inner::TileEncoding::Png);
    CHECK(decodePng(refined->data, 64, 64) == bgra(p.view()));

    CHECK(manager.encodeTile(frame.view(), {100, 0, 64, 64}).error() == EncodeError::InvalidImage);
    CHECK(manager.encodeTile(frame.view(), {0, 0, 0, 0}).error() == EncodeError::InvalidImage);
}
