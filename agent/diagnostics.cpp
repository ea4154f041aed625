#include "diagnostics.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "core/e2e_handshake.h"
#include "core/encode_manager.h"
#include "core/envelope.h"
#include "core/tile_tracker.h"
#include "platform/platform.h"

namespace guru::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Captures into the tracker, which holds the session's only full copy of the desktop.
platform::CaptureStatus captureInto(platform::ScreenCapturer& capturer, TileTracker& tracker,
                                    std::chrono::milliseconds timeout) {
    const Rect bounds = capturer.bounds();
    tracker.resize(bounds.width, bounds.height);
    return capturer.capture(timeout, [&tracker](const Rect& at, const ImageView& pixels) {
        tracker.apply(at, pixels);
    });
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int selfTest() {
    auto identity = crypto::IdentityKey::generate();
    auto viewerKey = crypto::EcdhKeyPair::generate();
    if (!identity || !viewerKey) return std::puts("self-test: key generation failed"), 1;
    const crypto::SessionId session{};
    auto agentSide = crypto::AgentHandshake::start(*identity, session, 1);
    if (!agentSide) return std::puts("self-test: key generation failed"), 1;
    crypto::ViewerHandshake viewerSide(std::move(*viewerKey), session, 1);
    auto share = viewerSide.commitReceived(agentSide->commitRecord());
    auto finished = share ? agentSide->finish(*share) : Result<crypto::AgentHandshake::Finished, crypto::CryptoError>(
                                                           Failure{share.error()});
    if (!finished) return std::puts("self-test: e2e"), 1;
    auto v = viewerSide.confirmReceived(finished->confirmRecord);
    auto& a = finished->channel;
    if (!v || a.shortAuthString() != v->shortAuthString()) return std::puts("self-test: e2e"), 1;
    auto sealed = a.seal(asBytes("hello"));
    auto opened = sealed ? v->open(*sealed) : Result<crypto::OpenedRecord, crypto::CryptoError>(
                                                  Failure{crypto::CryptoError::Internal});
    if (!opened || toString(opened->message) != "hello") return std::puts("self-test: seal/open"), 1;
    auto frame = envelope::encodeFrame(envelope::Ping{42});
    auto back = frame ? envelope::decodeFrame(*frame) : Result<envelope::Message,
                        envelope::EnvelopeError>(Failure{envelope::EnvelopeError::Incomplete});
    if (!back || std::get<envelope::Ping>(*back).nonce != 42) return std::puts("self-test: env"), 1;
    Image img(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) img.set(x, y, x * 4, y * 4, 128);
    EncodeManager encoders;
    auto tile = encoders.encodeTile(img.view(), {0, 0, 64, 64});
    if (!tile) return std::puts("self-test: encoder"), 1;
    std::printf("self-test: ok (code %s)\n", a.shortAuthString().c_str());
    return 0;
}

int captureOnce(const Options& o) {
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("capture: %s\n", platform::name(capturer.error())), 1;
    TileTracker desktop;
    if (captureInto(**capturer, desktop, std::chrono::seconds(2)) != platform::CaptureStatus::Ok) {
        return std::puts("capture: failed"), 1;
    }
    const ImageView image = desktop.image();
    Result<Bytes, EncodeError> data = Failure{EncodeError::InvalidImage};
    if (o.format == "png") data = PngEncoder().encode(image);
    else if (o.format == "webp") data = WebpLosslessEncoder().encode(image);
    else data = JpegEncoder().encode(image, 85);
    if (!data) {
        std::printf("capture: %s encoding failed%s\n", o.format.c_str(),
                    o.format == "jpeg" ? "" : " (this build may leave that encoder out; try --format jpeg)");
        return 1;
    }
    // C stdio rather than <fstream>: iostreams would add ~0.4 MB of static libstdc++.
    std::unique_ptr<std::FILE, decltype(&std::fclose)> out(std::fopen(o.output.c_str(), "wb"),
                                                           &std::fclose);
    if (!out || std::fwrite(data->data(), 1, data->size(), out.get()) != data->size()) {
        return std::puts("capture: cannot write output"), 1;
    }
    std::printf("captured %dx%d -> %s (%zu bytes)\n", image.width, image.height,
                o.output.c_str(), data->size());
    return 0;
}

int info(const Options& o) {
    auto backend = platform::openBackend(o.backend);
    if (!backend) return std::printf("info: %s\n", platform::name(backend.error())), 1;
    auto d = backend->system->describe();
    std::printf("host=%s os=%s %s arch=%s user=%s\n", d.hostname.c_str(), d.osName.c_str(),
                d.osVersion.c_str(), d.architecture.c_str(), d.userName.c_str());
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("info: %s\n", platform::name(capturer.error())), 1;
    const std::string_view path = (*capturer)->name();
    std::printf("capture=%.*s\n", static_cast<int>(path.size()), path.data());
    for (const auto& m : (*capturer)->monitors()) {
        std::printf("monitor %dx%d+%d+%d%s\n", m.width, m.height, m.x, m.y,
                    m.primary ? " primary" : "");
    }
    return 0;
}

int idle(const Options& o) {
    auto system = platform::openBackend(o.backend);
    if (!system) return std::printf("idle: %s\n", platform::name(system.error())), 1;
    const auto end = Clock::now() + std::chrono::seconds(o.seconds);
    while (Clock::now() < end) std::this_thread::sleep_for(std::chrono::seconds(1));
    std::printf("idle: %d s\n", o.seconds);
    return 0;
}

int captureLoop(const Options& o) {
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("capture-loop: %s\n", platform::name(capturer.error())), 1;
    TileTracker tracker;
    EncodeManager encoders;
    const auto end = Clock::now() + std::chrono::seconds(o.seconds);
    std::size_t tiles = 0;
    while (Clock::now() < end) {
        auto status = captureInto(**capturer, tracker, std::chrono::milliseconds(500));
        if (status == platform::CaptureStatus::Timeout) continue;
        if (status != platform::CaptureStatus::Ok) return std::puts("capture-loop: failed"), 1;
        for (const Rect& r : tracker.takeChanged()) {
            if (encoders.encodeTile(tracker.image(), r)) ++tiles;
        }
    }
    std::printf("capture-loop: %zu tiles encoded in %d s\n", tiles, o.seconds);
    return 0;
}

/// The video mode's encoder on the captured screen scrolling 4 px a frame (all of it moves).
int benchVideo(const ImageView& screen, int frames) {
    VideoEncoderFactory factory = platform::videoEncoders();
    if (!factory) return std::puts("video: no encoder (libvpx/libyuv not installed)"), 0;
    auto encoder = factory(screen.width, screen.height);
    if (!encoder) return std::puts("video: the encoder did not open"), 1;
    Image moving(screen.width, screen.height);
    double ms = 0;
    std::size_t keyBytes = 0, deltaBytes = 0;
    for (int i = 0; i < frames; ++i) {
        const int shift = (i * 4) % screen.width;
        for (int y = 0; y < screen.height; ++y) {
            const auto* src = screen.row(y);
            auto* dst = moving.data() + static_cast<std::size_t>(y) * moving.stride();
            const std::size_t tail = static_cast<std::size_t>(screen.width - shift) * kBytesPerPixel;
            std::memcpy(dst, src + static_cast<std::size_t>(shift) * kBytesPerPixel, tail);
            std::memcpy(dst + tail, src, static_cast<std::size_t>(shift) * kBytesPerPixel);
        }
        const auto t = Clock::now();
        auto frame = (*encoder)->encode(moving.view(), i == 0, std::chrono::milliseconds(i * 16));
        ms += i == 0 ? 0 : msSince(t);
        if (!frame) return std::puts("video: encoding failed"), 1;
        (i == 0 ? keyBytes : deltaBytes) += frame->data.size();
    }
    const int deltas = std::max(1, frames - 1);
    std::printf("video_vp8 delta_ms=%.2f delta_bytes=%zu keyframe_bytes=%zu frames=%d\n", ms / deltas,
                deltaBytes / static_cast<std::size_t>(deltas), keyBytes, frames);
    return 0;
}

int bench(const Options& o) {
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("bench: %s\n", platform::name(capturer.error())), 1;
    double capture = 0, jpeg = 0, png = 0, webp = 0;
    std::size_t jpegBytes = 0, pngBytes = 0, webpBytes = 0;
    JpegEncoder jpegEncoder;
    TileTracker desktop;
    for (int i = 0; i < o.frames; ++i) {
        (*capturer)->invalidate();
        auto t = Clock::now();
        if (captureInto(**capturer, desktop, std::chrono::seconds(1)) !=
            platform::CaptureStatus::Ok) {
            return std::puts("bench: capture failed"), 1;
        }
        capture += msSince(t);
        const ImageView image = desktop.image();
        t = Clock::now();
        auto j = jpegEncoder.encode(image, 80);
        jpeg += msSince(t);
        t = Clock::now();
        auto p = PngEncoder().encode(image);
        png += msSince(t);
        t = Clock::now();
        auto w = WebpLosslessEncoder().encode(image);
        webp += msSince(t);
        if (!j) return std::puts("bench: encoding failed"), 1;
        // 0 bytes: that encoder is not in this build (Linux release: no PNG; Windows: no WebP).
        jpegBytes = j->size();
        pngBytes = p ? p->size() : 0;
        webpBytes = w ? w->size() : 0;
    }
    // The pipeline as a session runs it: 64x64 tiles, lossless only for few-colour tiles.
    double tilesPng = 0, tilesWebp = 0;
    std::size_t bytesPng = 0, bytesWebp = 0, tileCount = 0;
    for (auto format : {LosslessFormat::Png, LosslessFormat::WebpLossless}) {
        if ((format == LosslessFormat::Png ? pngBytes : webpBytes) == 0) continue;
        EncodeManager manager({80, 256, format});
        desktop.markAll();
        auto t = Clock::now();
        std::size_t bytes = 0;
        auto tiles = desktop.takeChanged();
        for (const Rect& r : tiles) {
            auto tile = manager.encodeTile(desktop.image(), r);
            if (!tile) return std::puts("bench: tile encoding failed"), 1;
            bytes += tile->data.size();
        }
        (format == LosslessFormat::Png ? tilesPng : tilesWebp) = msSince(t);
        (format == LosslessFormat::Png ? bytesPng : bytesWebp) = bytes;
        tileCount = tiles.size();
    }
    const double n = o.frames;
    std::printf("capture_ms=%.2f jpeg_ms=%.2f png_ms=%.2f webp_lossless_ms=%.2f "
                "jpeg_bytes=%zu png_bytes=%zu webp_bytes=%zu frames=%d\n",
                capture / n, jpeg / n, png / n, webp / n, jpegBytes, pngBytes, webpBytes,
                o.frames);
    std::printf("tiled_frame tiles=%zu png_mode_ms=%.2f png_mode_bytes=%zu "
                "webp_mode_ms=%.2f webp_mode_bytes=%zu\n",
                tileCount, tilesPng, bytesPng, tilesWebp, bytesWebp);
    return benchVideo(desktop.image(), o.frames);
}

}  // namespace guru::cli
