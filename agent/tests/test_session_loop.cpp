// The session loop with a fake screen, sender and injector: the capturer exists only while
// a viewer's keys are agreed, frames in flight stay within the window until FrameAck, and
// only control-mode viewers' input reaches the injector. The viewer side uses E2eChannel.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "core/session_loop.h"

using namespace guru;
using namespace std::chrono_literals;

namespace {

struct Counters {
    std::atomic<int> opened{0};
    std::atomic<int> open{0};
    std::atomic<int> captures{0};
};

// A 256x128 desktop where every capture changes one 64x64 tile.
class FakeCapturer final : public platform::ScreenCapturer {
public:
    explicit FakeCapturer(Counters& c) : c_(c), pixels_(256, 128) { ++c_.opened; ++c_.open; }
    ~FakeCapturer() override { --c_.open; }
    Rect bounds() const override { return {0, 0, 256, 128}; }
    std::vector<inner::Monitor> monitors() override { return {{0, 0, 256, 128, true}}; }
    /// After `captures` captures the screen stops changing (captures report no damage).
    void stopAfter(int captures) { stopAfter_ = captures; }
    /// Every capture up to `captures` repaints the whole screen (full-screen motion).
    void moveAllFor(int captures) {
        stopAfter_ = captures;
        moveAll_ = true;
    }
    platform::CaptureStatus capture(std::chrono::milliseconds wait, const platform::RegionSink& sink) override {
        const int n = ++c_.captures;
        if (stopAfter_ > 0 && n > stopAfter_) {
            std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(10)));
            return platform::CaptureStatus::Ok;
        }
        if (stopAfter_ > 0) {  // the first capture (or, moving, each) paints the whole screen
            const Rect all = bounds();
            const int shift = moveAll_ ? n * 4 : 0;
            for (int y = 0; y < all.height; ++y)
                for (int x = 0; x < all.width; ++x)
                    pixels_.set(x, y, ((x + shift) * 7 + y * 3) & 0xFF, ((x + shift) * y) & 0xFF, ((x + shift) ^ y) & 0xFF);
            sink(all, pixels_.view());
            return platform::CaptureStatus::Ok;
        }
        const Rect tile{(n % 4) * 64, ((n / 4) % 2) * 64, 64, 64};
        for (int y = tile.y; y < tile.bottom(); ++y)
            for (int x = tile.x; x < tile.right(); ++x) pixels_.set(x, y, n * 7, x, y);
        sink(tile, pixels_.view().sub(tile));
        return platform::CaptureStatus::Ok;
    }
    void invalidate() override {}
    std::optional<inner::CursorImage> cursorShapeIfChanged() override { return std::nullopt; }
    std::optional<inner::CursorPosition> cursorPosition() override { return inner::CursorPosition{5, 6, true}; }

private:
    Counters& c_;
    Image pixels_;
    int stopAfter_ = 0;
    bool moveAll_ = false;
};

// A video encoder that records what it was asked: 2 bytes a frame, keyframes as requested.
struct FakeVideo {
    std::atomic<int> opened{0};
    std::atomic<int> frames{0};
    std::atomic<int> keyframes{0};
    VideoEncoderFactory factory() {
        return [this](int width, int height) -> Result<std::unique_ptr<VideoEncoder>, EncodeError> {
            if (width != 256 || height != 128) return Failure{EncodeError::InvalidImage};
            ++opened;
            return std::unique_ptr<VideoEncoder>(new Encoder(*this));
        };
    }
    struct Encoder final : VideoEncoder {
        explicit Encoder(FakeVideo& owner) : owner(owner) {}
        FakeVideo& owner;
        Result<VideoFrame, EncodeError> encode(const ImageView& frame, bool keyframe, std::chrono::milliseconds) override {
            if (frame.width != 256 || frame.height != 128) return Failure{EncodeError::InvalidImage};
            ++owner.frames;
            owner.keyframes += keyframe;
            return VideoFrame{Bytes{std::byte{0x9d}, std::byte{0x01}}, keyframe};
        }
        void setTier(QualityTier) override {}
    };
};

class FakeInjector final : public platform::InputInjector {
public:
    std::atomic<int> moves{0};
    std::atomic<int> releases{0};
    Outcome<platform::InputError> movePointer(int, int) override { ++moves; return Unit{}; }
    Outcome<platform::InputError> button(inner::Button, bool) override { return Unit{}; }
    Outcome<platform::InputError> wheel(int, int) override { return Unit{}; }
    Outcome<platform::InputError> key(const inner::Key&) override { return Unit{}; }
    void releaseAll() override { ++releases; }
};

class FakeClipboard final : public platform::Clipboard {
public:
    Result<std::string, platform::ClipboardError> readText() override {
        std::lock_guard lock(mutex_);
        if (writes_.empty()) return Failure{platform::ClipboardError::Empty};
        return writes_.back();
    }
    Outcome<platform::ClipboardError> writeText(const std::string& text) override {
        std::lock_guard lock(mutex_);
        writes_.push_back(text);
        return Unit{};
    }
    std::optional<std::string> takeLocalChange() override {
        std::lock_guard lock(mutex_);
        std::optional<std::string> change;
        change.swap(change_);
        return change;
    }
    void copyLocally(const std::string& text) {
        std::lock_guard lock(mutex_);
        change_ = text;
    }
    bool changePending() {
        std::lock_guard lock(mutex_);
        return change_.has_value();
    }
    std::vector<std::string> writes() {
        std::lock_guard lock(mutex_);
        return writes_;
    }

private:
    std::mutex mutex_;
    std::vector<std::string> writes_;
    std::optional<std::string> change_;
};

class FakeSender final : public EnvelopeSender {
public:
    bool send(const envelope::Message& m) override {
        std::lock_guard lock(mutex_);
        if (auto* r = std::get_if<envelope::Relay>(&m)) relays_.push_back(*r);
        cv_.notify_all();
        return true;
    }
    // Waits until `count` relays were sent; returns a copy of them.
    std::vector<envelope::Relay> waitFor(std::size_t count, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [&] { return relays_.size() >= count; });
        return relays_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<envelope::Relay> relays_;
};

// The viewer's end: joins, answers the KeyShare, opens what the agent seals.
struct TestViewer {
    explicit TestViewer(std::uint32_t viewerId) : id(viewerId) {}
    std::uint32_t id;
    crypto::EcdhKeyPair keys = crypto::EcdhKeyPair::generate().value();
    std::optional<crypto::E2eChannel> channel;
    std::size_t seen = 0;  // relays already read
    std::vector<inner::Message> received;

    void join(SessionLoop& loop, FakeSender& sender, envelope::ViewerMode mode) {
        loop.envelopeReceived(envelope::ViewerJoined{{}, id, mode});
        // The KeyShare is sent before the call returns; other viewers' frames may surround it.
        auto relays = sender.waitFor(seen + 1, 5s);
        auto share = std::find_if(relays.begin() + static_cast<std::ptrdiff_t>(seen), relays.end(),
                                  [&](const envelope::Relay& r) { return r.peerId == id; });
        REQUIRE(share != relays.end());
        auto agentKey = crypto::decodeKeyShare(share->sealed);
        REQUIRE(agentKey.ok());
        auto c = crypto::E2eChannel::establish(crypto::Role::Viewer, keys, *agentKey);
        REQUIRE(c.ok());
        channel.emplace(std::move(*c));
        seen = static_cast<std::size_t>(share - relays.begin()) + 1;
        loop.envelopeReceived(envelope::Relay{id, crypto::encodeKeyShare(keys.publicKey())});
    }
    // Opens every new relay addressed to this viewer.
    void read(const std::vector<envelope::Relay>& relays) {
        for (; seen < relays.size(); ++seen) {
            if (relays[seen].peerId != id) continue;
            auto plain = channel->open(relays[seen].sealed);
            REQUIRE(plain.ok());
            auto m = inner::decode(*plain);
            REQUIRE(m.ok());
            received.push_back(*m);
        }
    }
    int frameEnds() const {
        int n = 0;
        for (const auto& m : received) n += std::holds_alternative<inner::FrameEnd>(m);
        return n;
    }
    void send(SessionLoop& loop, const inner::Message& m) {
        auto plain = inner::encode(m);
        REQUIRE(plain.ok());
        auto sealed = channel->seal(*plain);
        REQUIRE(sealed.ok());
        loop.envelopeReceived(envelope::Relay{id, *sealed});
    }
};

// Reads until the viewer has seen `n` FrameEnds (bounded), then a little longer, so that
// a frame beyond the window would have had time to arrive.
int frameEndsSettled(TestViewer& viewer, FakeSender& sender, int n) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (viewer.frameEnds() < n && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        viewer.read(sender.waitFor(0, 0ms));
    }
    std::this_thread::sleep_for(250ms);
    viewer.read(sender.waitFor(0, 0ms));
    return viewer.frameEnds();
}

// The capturer factory of every case: each call opens a FakeCapturer counted in `counters`.
CapturerFactory fakeScreens(Counters& counters) {
    return [&counters] {
        return Result<std::unique_ptr<platform::ScreenCapturer>, platform::BackendError>(
            std::make_unique<FakeCapturer>(counters));
    };
}

// Like fakeScreens, with each new capturer scripted first (stopAfter, moveAllFor).
CapturerFactory scriptedScreens(Counters& counters, std::function<void(FakeCapturer&)> script) {
    return [&counters, script] {
        auto capturer = std::make_unique<FakeCapturer>(counters);
        script(*capturer);
        return Result<std::unique_ptr<platform::ScreenCapturer>, platform::BackendError>(std::move(capturer));
    };
}

SessionSettings fastSettings() {
    SessionSettings s;
    s.framesInFlight = 2;
    s.ackStall = 60s;  // never in these tests
    s.captureWait = 10ms;
    return s;
}

}  // namespace

TEST_CASE("flow control: at most two frames in flight until the viewer acknowledges") {
    Counters counters;
    FakeSender sender;
    FakeInjector injector;
    SessionLoop loop(sender, fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    std::this_thread::sleep_for(100ms);
    CHECK(counters.opened == 0);  // idle: no capturer

    TestViewer viewer(7);
    viewer.join(loop, sender, envelope::ViewerMode::Control);
    // The screen changes on every capture, yet the window stops the third frame.
    CHECK(frameEndsSettled(viewer, sender, 2) == 2);
    CHECK(counters.open == 1);
    REQUIRE(std::holds_alternative<inner::MonitorLayout>(viewer.received.front()));

    viewer.send(loop, inner::FrameAck{2});  // acknowledges 1 and 2
    CHECK(frameEndsSettled(viewer, sender, 4) == 4);

    viewer.send(loop, inner::FrameAck{3});  // one slot
    CHECK(frameEndsSettled(viewer, sender, 5) == 5);

    loop.envelopeReceived(envelope::ViewerLeft{7, 0});
    for (int i = 0; i < 250 && counters.open != 0; ++i) std::this_thread::sleep_for(20ms);
    CHECK(counters.open == 0);  // the last viewer left: capturer closed
    loop.stop();
}

TEST_CASE("frames are capped in updates, merge tiles and cover the whole screen round-robin") {
    Counters counters;
    FakeSender sender;
    SessionSettings settings = fastSettings();
    settings.tilesPerFrame = 3;  // 8 tiles on the fake screen, one of them changing always
    SessionLoop loop(sender, fakeScreens(counters), nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(5);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::set<std::pair<int, int>> seen;  // 64-px tiles covered by some TileUpdate
    std::size_t most = 0, inFrame = 0, read = 0, merged = 0;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (seen.size() < 8 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
        viewer.read(sender.waitFor(0, 0ms));
        for (; read < viewer.received.size(); ++read) {
            const auto& m = viewer.received[read];
            if (auto* t = std::get_if<inner::TileUpdate>(&m)) {
                for (int y = t->y; y < t->y + t->height; y += 64)
                    for (int x = t->x; x < t->x + t->width; x += 64) seen.insert({x, y});
                merged += t->width > 64 || t->height > 64;
                most = std::max(most, ++inFrame);
            } else if (auto* end = std::get_if<inner::FrameEnd>(&m)) {
                inFrame = 0;
                viewer.send(loop, inner::FrameAck{end->sequence});
            }
        }
    }
    CHECK(seen.size() == 8);
    CHECK(most <= 3);
    CHECK(merged >= 1);  // the first full screen is one class: fewer, larger updates
    loop.stop();
}

TEST_CASE("a JPEG region that stops changing is resent lossless once, then nothing") {
    Counters counters;
    FakeSender sender;
    SessionSettings settings = fastSettings();
    settings.refineAfter = 150ms;
    // A photo-like screen painted once: the first frame is JPEG, then the screen is still.
    CapturerFactory still = scriptedScreens(counters, [](FakeCapturer& c) { c.stopAfter(1); });
    SessionLoop loop(sender, still, nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(9);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::size_t read = 0;
    std::map<inner::TileEncoding, long> pixels;  // per encoding, pixels received
    auto pump = [&](std::chrono::milliseconds d) {
        const auto until = std::chrono::steady_clock::now() + d;
        while (std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(10ms);
            viewer.read(sender.waitFor(0, 0ms));
            for (; read < viewer.received.size(); ++read) {
                const auto& m = viewer.received[read];
                if (auto* t = std::get_if<inner::TileUpdate>(&m)) {
                    pixels[t->encoding] += static_cast<long>(t->width) * t->height;
                } else if (auto* end = std::get_if<inner::FrameEnd>(&m)) {
                    viewer.send(loop, inner::FrameAck{end->sequence});
                }
            }
        }
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
    SessionLoop loop(sender, moving, nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(11);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::size_t read = 0;
    std::vector<inner::TileUpdate> updates;
    const auto deadline = std::chrono::steady_clock::now() + 6s;
    long losslessAfterVideo = 0;
    while (std::chrono::steady_clock::now() < deadline && losslessAfterVideo < 256L * 128) {
        std::this_thread::sleep_for(10ms);
        viewer.read(sender.waitFor(0, 0ms));
        for (; read < viewer.received.size(); ++read) {
            const auto& m = viewer.received[read];
            if (auto* t = std::get_if<inner::TileUpdate>(&m)) {
                updates.push_back(*t);
                const bool sawVideo = std::any_of(updates.begin(), updates.end(),
                                                  [](const auto& u) { return u.encoding == inner::TileEncoding::Vp8; });
                if (sawVideo && (t->encoding == inner::TileEncoding::WebpLossless || t->encoding == inner::TileEncoding::Png))
                    losslessAfterVideo += static_cast<long>(t->width) * t->height;
            } else if (auto* end = std::get_if<inner::FrameEnd>(&m)) {
                viewer.send(loop, inner::FrameAck{end->sequence});
            }
        }
    }
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
    for (auto it = firstVideo + 1; it != lastVideo.base(); ++it) CHECK(it->encoding == inner::TileEncoding::Vp8);
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
    SessionLoop loop(sender, moving, nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(12);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::size_t read = 0;
    int tileFrames = 0, videoUpdates = 0;
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < deadline && tileFrames < 30) {
        std::this_thread::sleep_for(10ms);
        viewer.read(sender.waitFor(0, 0ms));
        for (; read < viewer.received.size(); ++read) {
            const auto& m = viewer.received[read];
            if (auto* t = std::get_if<inner::TileUpdate>(&m)) videoUpdates += t->encoding == inner::TileEncoding::Vp8;
            if (auto* end = std::get_if<inner::FrameEnd>(&m)) {
                ++tileFrames;
                viewer.send(loop, inner::FrameAck{end->sequence});
            }
        }
    }
    loop.stop();
    CHECK(tileFrames >= 30);  // frames keep coming, as tiles
    CHECK(videoUpdates == 0);
}

TEST_CASE("a viewer whose frames come back slowly gets smaller JPEGs than a fast one") {
    Counters counters;
    FakeSender sender;
    SessionLoop loop(sender, fakeScreens(counters), nullptr, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer fast(21), slow(22);
    fast.join(loop, sender, envelope::ViewerMode::View);
    slow.join(loop, sender, envelope::ViewerMode::View);
    struct Tally {
        std::size_t read = 0;
        double bytes = 0, pixels = 0;
    } fastTally, slowTally;
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint32_t>> slowAcks;
    const auto start = std::chrono::steady_clock::now();
    const auto warmedUp = start + 1500ms;  // the first frames go out before any round trip is known
    auto pump = [&](TestViewer& v, Tally& tally, bool isSlow) {
        v.read(sender.waitFor(0, 0ms));
        for (; tally.read < v.received.size(); ++tally.read) {
            const auto& m = v.received[tally.read];
            const auto now = std::chrono::steady_clock::now();
            if (auto* t = std::get_if<inner::TileUpdate>(&m); t && t->encoding == inner::TileEncoding::Jpeg && now > warmedUp) {
                tally.bytes += static_cast<double>(t->data.size());
                tally.pixels += static_cast<double>(t->width) * t->height;
            } else if (auto* end = std::get_if<inner::FrameEnd>(&m)) {
                if (isSlow) slowAcks.emplace_back(now + 400ms, end->sequence);  // a slow link or viewer
                else v.send(loop, inner::FrameAck{end->sequence});
            }
        }
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

TEST_CASE("input: control viewers drive the injector, view-only viewers do not") {
    Counters counters;
    FakeSender sender;
    FakeInjector injector;
    SessionLoop loop(sender, fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer watcher(8);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    watcher.send(loop, inner::PointerMove{1, 2});
    CHECK(injector.moves == 0);

    TestViewer controller(9);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    controller.send(loop, inner::PointerMove{1, 2});
    controller.send(loop, inner::PointerMove{3, 4});
    CHECK(injector.moves == 2);

    // A replayed record is refused, not injected twice.
    auto plain = inner::encode(inner::PointerMove{5, 6});
    auto sealed = controller.channel->seal(*plain);
    loop.envelopeReceived(envelope::Relay{9, *sealed});
    loop.envelopeReceived(envelope::Relay{9, *sealed});
    CHECK(injector.moves == 3);

    loop.envelopeReceived(envelope::ViewerLeft{9, 0});
    CHECK(injector.releases == 1);  // nothing stays pressed after a controller leaves
    loop.connectionDown();          // drops the watcher too
    for (int i = 0; i < 250 && counters.open != 0; ++i) std::this_thread::sleep_for(20ms);
    CHECK(counters.open == 0);
    loop.stop();
}

TEST_CASE("clipboard: control viewers write the local clipboard, view-only viewers do not") {
    Counters counters;
    FakeSender sender;
    FakeClipboard clipboard;
    SessionLoop loop(sender, fakeScreens(counters), nullptr, &clipboard, nullptr, fastSettings());
    loop.start();
    TestViewer watcher(10);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    watcher.send(loop, inner::ClipboardText{"from a watcher"});
    CHECK(clipboard.writes().empty());

    TestViewer controller(11);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    controller.send(loop, inner::ClipboardText{"Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac"});
    REQUIRE(clipboard.writes().size() == 1);
    CHECK(clipboard.writes()[0] == "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac");

    // Larger than the bound: dropped whole, never truncated.
    controller.send(loop, inner::ClipboardText{std::string(kMaxClipboardBytes + 1, 'x')});
    CHECK(clipboard.writes().size() == 1);
    loop.stop();
}

TEST_CASE("clipboard: local copies reach control viewers only, and only while one is there") {
    Counters counters;
    FakeSender sender;
    FakeClipboard clipboard;
    SessionLoop loop(sender, fakeScreens(counters), nullptr, &clipboard, nullptr, fastSettings());
    loop.start();
    clipboard.copyLocally("before anyone joined");

    TestViewer watcher(12);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    TestViewer controller(13);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    for (int i = 0; i < 250 && clipboard.changePending(); ++i) std::this_thread::sleep_for(20ms);
    CHECK_FALSE(clipboard.changePending());  // taken and dropped: nobody was there

    clipboard.copyLocally("copied locally \xe2\x82\xac");
    auto clips = [](const TestViewer& v) {
        std::vector<std::string> texts;
        for (const auto& m : v.received)
            if (auto* c = std::get_if<inner::ClipboardText>(&m)) texts.push_back(c->text);
        return texts;
    };
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (clips(controller).empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        controller.read(sender.waitFor(0, 0ms));
    }
    watcher.read(sender.waitFor(0, 0ms));
    REQUIRE(clips(controller).size() == 1);
    CHECK(clips(controller)[0] == "copied locally \xe2\x82\xac");
    CHECK(clips(watcher).empty());
    loop.stop();
}
