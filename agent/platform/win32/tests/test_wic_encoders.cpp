// The Windows build's JpegEncoder (WIC) and PngEncoder (zlib), decoded back with WIC.
#include <doctest/doctest.h>
#include <objbase.h>
#include <wincodec.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "core/encode_manager.h"
#include "platform/win32/win32_handles.h"
#include "tests/test_images.h"

using namespace guru;
using guru::platform::win32::ComRef;
using guru::test::photo;
using guru::test::ui;

namespace {

// The view's pixels as BGR triples, tightly packed.
std::vector<std::uint8_t> bgr(const ImageView& v) {
    std::vector<std::uint8_t> out;
    for (int y = 0; y < v.height; ++y)
        for (int x = 0; x < v.width; ++x) {
            const std::byte* p = v.row(y) + x * 4;
            for (int c = 0; c < 3; ++c) out.push_back(std::to_integer<std::uint8_t>(p[c]));
        }
    return out;
}

// Decodes PNG or JPEG bytes to packed BGR with WIC, and reports the size.
std::optional<std::vector<std::uint8_t>> decode(const Bytes& data, int* width, int* height) {
    CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    ComRef<IWICImagingFactory> factory;
    if (FAILED(CoCreateInstance(CLSID_WICImagingFactory, nullptr, CLSCTX_INPROC_SERVER,
                                IID_PPV_ARGS(factory.put())))) {
        return std::nullopt;
    }
    ComRef<IWICStream> stream;
    ComRef<IWICBitmapDecoder> decoder;
    ComRef<IWICBitmapFrameDecode> frame;
    ComRef<IWICBitmapSource> converted;
    auto* bytes = reinterpret_cast<BYTE*>(const_cast<std::byte*>(data.data()));
    if (FAILED(factory->CreateStream(stream.put())) ||
        FAILED(stream->InitializeFromMemory(bytes, static_cast<DWORD>(data.size()))) ||
        FAILED(factory->CreateDecoderFromStream(stream.get(), nullptr,
                                                WICDecodeMetadataCacheOnDemand, decoder.put())) ||
        FAILED(decoder->GetFrame(0, frame.put())) ||
        FAILED(WICConvertBitmapSource(GUID_WICPixelFormat24bppBGR, frame.get(), converted.put()))) {
        return std::nullopt;
    }
    UINT w = 0, h = 0;
    converted->GetSize(&w, &h);
    *width = static_cast<int>(w);
    *height = static_cast<int>(h);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(w) * h * 3);
    if (FAILED(converted->CopyPixels(nullptr, w * 3, static_cast<UINT>(out.size()), out.data()))) {
        return std::nullopt;
    }
    return out;
}

double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    REQUIRE(a.size() == b.size());
    double se = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = double(a[i]) - double(b[i]);
        se += d * d;
    }
    const double mse = se / double(a.size());
    return mse == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace

TEST_CASE("WIC JPEG round trip stays above 30 dB, including a strided sub-view") {
    const Image img = photo(200, 120);
    const ImageView sub = img.view().sub({13, 7, 96, 64});
    JpegEncoder jpeg;
    for (const ImageView& view : {img.view(), sub}) {
        auto data = jpeg.encode(view, 80);
        REQUIRE(data);
        REQUIRE(data->size() > 2);
        CHECK(std::to_integer<int>((*data)[0]) == 0xFF);
        CHECK(std::to_integer<int>((*data)[1]) == 0xD8);
        int w = 0, h = 0;
        auto pixels = decode(*data, &w, &h);
        REQUIRE(pixels);
        CHECK(w == view.width);
        CHECK(h == view.height);
        CHECK(psnr(*pixels, bgr(view)) > 30.0);
    }
    CHECK(!jpeg.encode(img.view(), 0));
    CHECK(!jpeg.encode(ImageView{}, 80));
}

TEST_CASE("PNG over zlib: WIC decodes it exactly, photo-like content and sub-views too") {
    const Image img = ui(150, 90);
    const Image pic = photo(97, 33);
    const ImageView sub = img.view().sub({5, 3, 64, 64});
    for (const ImageView& view : {img.view(), sub, pic.view()}) {
        auto data = PngEncoder().encode(view);
        REQUIRE(data);
        const std::uint8_t signature[] = {0x89, 'P', 'N', 'G'};
        REQUIRE(data->size() > 8);
        CHECK(std::memcmp(data->data(), signature, sizeof signature) == 0);
        int w = 0, h = 0;
        auto pixels = decode(*data, &w, &h);
        REQUIRE(pixels);
        CHECK(w == view.width);
        CHECK(h == view.height);
        CHECK(*pixels == bgr(view));
    }
}

TEST_CASE("without libwebp: WebP lossless fails and sessions default to PNG") {
    const Image img = ui(64, 64);
    CHECK(!WebpLosslessEncoder().encode(img.view()));
    EncodeManager manager;
    auto tile = manager.encodeTile(img.view(), {0, 0, 64, 64});
    REQUIRE(tile);
    CHECK(tile->encoding == inner::TileEncoding::Png);
    const Image pic = photo(64, 64);
    auto photoTile = manager.encodeTile(pic.view(), {0, 0, 64, 64});
    REQUIRE(photoTile);
    CHECK(photoTile->encoding == inner::TileEncoding::Jpeg);
}
