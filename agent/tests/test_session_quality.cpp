// The session loop's picture quality with a fake screen: JPEG regions are refined losslessly
// once still, full-screen motion goes out as video (keyframe first) and back to tiles, a
// codec that cannot open leaves tiles, and a slow viewer gets smaller frames than a fast one.
#include <doctest/doctest.h>

#include <deque>
#include <map>

#include "tests/session_fakes.h"

using namespace guru;
using namespace guru::test;

TEST_CASE("a JPEG region that stops changing is resent lossless once, then nothing") {
    Counters counters;
    FakeSender sender;
    SessionSettings settings = fastSettings();
    settings.refineAfter = 150ms;
    // A photo-like screen painted once: the first frame is JPEG, then the screen is still.
    CapturerFactory still = scriptedScreens(counters, [](FakeCapturer& c) { c.stopAfter(1); });
    SessionLoop loop(sender, testIdentity(), still, nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(9);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::map<inner::TileEncoding, long> pixels;  // per encoding, pixels received
    auto pump = [&](std::chrono::milliseconds d) {
        viewer.serve(loop, sender, d, [] { return false; }, [&](const inner::Message& m) {
            if (auto* t = std::get_if<inner::TileUpdate>(&m)) pixels[t->encoding] += static_cast<long>(t->width) * t->height;
        });
    };
    pump(1500ms);
    const long screen = 256L * 128;
    CHECK(pixels[inner::TileEncoding::Jpeg] == screen);  // the photo went out as JPEG once
    const long lossless = pixels[inner::TileEncoding::WebpLossless] + pixels[inner::TileEncoding::Png];
    CHECK(lossless == screen);  // and was refined, every pixel, exactly once
    const auto before = viewer.received.size();
    pump(400ms);
    CHECK(viewer.received.size() == before);  // a refined, still screen sends nothing more
    loop.stop();
}

TEST_CASE("full-screen motion goes out as video, keyframe first; calm brings tiles and a lossless screen back") {
    Counters counters;
    FakeSender sender;
    FakeVideo video;
    SessionSettings settings = fastSettings();
    settings.refineAfter = 150ms;
    settings.video = video.factory();
    CapturerFactory moving = scriptedScreens(counters, [](FakeCapturer& c) { c.moveAllFor(40); });
    SessionLoop loop(sender, testIdentity(), moving, nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(11);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::vector<inner::TileUpdate> updates;
    bool sawVideo = false;
    long losslessAfterVideo = 0;
    viewer.serve(loop, sender, 6s, [&] { return losslessAfterVideo >= 256L * 128; }, [&](const inner::Message& m) {
        auto* t = std::get_if<inner::TileUpdate>(&m);
        if (!t) return;
        updates.push_back(*t);
        sawVideo = sawVideo || t->encoding == inner::TileEncoding::Vp8;
        if (sawVideo && (t->encoding == inner::TileEncoding::WebpLossless || t->encoding == inner::TileEncoding::Png))
            losslessAfterVideo += static_cast<long>(t->width) * t->height;
    });
    loop.stop();
    const auto firstVideo = std::find_if(updates.begin(), updates.end(),
                                         [](const auto& u) { return u.encoding == inner::TileEncoding::Vp8; });
    REQUIRE(firstVideo != updates.end());
    CHECK(firstVideo != updates.begin());  // tiles first: motion has to last before video starts
    CHECK(std::to_integer<int>(firstVideo->data.at(0)) == inner::kVideoKeyframe);
    CHECK((firstVideo->x == 0 && firstVideo->y == 0 && firstVideo->width == 256 && firstVideo->height == 128));
    CHECK(video.opened == 1);
    CHECK(video.keyframes == 1);
    CHECK(video.frames >= 3);
    const auto lastVideo = std::find_if(updates.rbegin(), updates.rend(),
                                        [](const auto& u) { return u.encoding == inner::TileEncoding::Vp8; });
    // While the video runs, nothing goes out as tiles.
    CHECK(std::all_of(firstVideo, lastVideo.base(), [](const auto& u) { return u.encoding == inner::TileEncoding::Vp8; }));
    CHECK(losslessAfterVideo == 256L * 128);  // the still screen, refined losslessly after the video
}

TEST_CASE("a video encoder that cannot open leaves the session on tiles") {
    Counters counters;
    FakeSender sender;
    SessionSettings settings = fastSettings();
    settings.video = [](int, int) -> Result<std::unique_ptr<VideoEncoder>, EncodeError> {
        return Failure{EncodeError::LibraryFailure};
    };
    CapturerFactory moving = scriptedScreens(counters, [](FakeCapturer& c) { c.moveAllFor(1000); });
    SessionLoop loop(sender, testIdentity(), moving, nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(12);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    int tileFrames = 0, videoUpdates = 0;
    viewer.serve(loop, sender, 3s, [&] { return tileFrames >= 30; }, [&](const inner::Message& m) {
        if (auto* t = std::get_if<inner::TileUpdate>(&m)) videoUpdates += t->encoding == inner::TileEncoding::Vp8;
        tileFrames += std::holds_alternative<inner::FrameEnd>(m);
    });
    loop.stop();
    CHECK(tileFrames >= 30);  // frames keep coming, as tiles
    CHECK(videoUpdates == 0);
}

TEST_CASE("a viewer whose frames come back slowly gets smaller JPEGs than a fast one") {
    Counters counters;
    FakeSender sender;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer fast(21), slow(22);
    fast.join(loop, sender, envelope::ViewerMode::View);
    slow.join(loop, sender, envelope::ViewerMode::View);
    struct Tally {
        double bytes = 0, pixels = 0;
    } fastTally, slowTally;
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint32_t>> slowAcks;
    const auto start = std::chrono::steady_clock::now();
    const auto warmedUp = start + 1500ms;  // the first frames go out before any round trip is known
    auto pump = [&](TestViewer& v, Tally& tally, bool isSlow) {
        v.drain(loop, sender, [&](const inner::Message& m) {
            const auto now = std::chrono::steady_clock::now();
            if (auto* t = std::get_if<inner::TileUpdate>(&m); t && t->encoding == inner::TileEncoding::Jpeg && now > warmedUp) {
                tally.bytes += static_cast<double>(t->data.size());
                tally.pixels += static_cast<double>(t->width) * t->height;
            } else if (auto* end = std::get_if<inner::FrameEnd>(&m); end && isSlow) {
                slowAcks.emplace_back(now + 400ms, end->sequence);  // a slow link or viewer
            }
        }, !isSlow);
    };
    while (std::chrono::steady_clock::now() < start + 4500ms) {
        std::this_thread::sleep_for(10ms);
        pump(fast, fastTally, false);
        pump(slow, slowTally, true);
        while (!slowAcks.empty() && slowAcks.front().first <= std::chrono::steady_clock::now()) {
            slow.send(loop, inner::FrameAck{slowAcks.front().second});
            slowAcks.pop_front();
        }
    }
    loop.stop();
    REQUIRE(fastTally.pixels > 0);
    REQUIRE(slowTally.pixels > 0);
    const double fastBpp = fastTally.bytes / fastTally.pixels, slowBpp = slowTally.bytes / slowTally.pixels;
    INFO("bytes per pixel: fast " << fastBpp << ", slow " << slowBpp);
    CHECK(slowBpp < fastBpp * 0.9);
}
