// Test doubles for the session loop suites (test_session_loop.cpp, test_session_quality.cpp):
// a fake 256x128 screen, sender, injector, clipboard and video encoder, and the viewer's end
// of the E2E channel, which joins, opens what the agent seals and acknowledges frames.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/input_dispatch.h"
#include "core/session_loop.h"

namespace guru::test {

using namespace std::chrono_literals;

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
    std::string_view name() const override { return "fake"; }
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
            return std::unique_ptr<VideoEncoder>(std::make_unique<Encoder>(*this));
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
    std::atomic<int> buttons{0};
    std::atomic<int> wheels{0};
    std::atomic<int> keys{0};
    std::atomic<int> releases{0};
    Outcome<platform::InputError> movePointer(int, int) override { ++moves; return Unit{}; }
    Outcome<platform::InputError> button(inner::Button, bool) override { ++buttons; return Unit{}; }
    Outcome<platform::InputError> wheel(int, int) override { ++wheels; return Unit{}; }
    Outcome<platform::InputError> key(const inner::Key&) override { ++keys; return Unit{}; }
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

// The identity key every test session signs with.
inline const crypto::IdentityKey& testIdentity() {
    static const crypto::IdentityKey key = crypto::IdentityKey::generate().value();
    return key;
}

// The viewer's end: joins, answers the KeyCommit, checks the KeyConfirm, opens what the agent seals.
struct TestViewer {
    explicit TestViewer(std::uint32_t viewerId) : id(viewerId) {}
    std::uint32_t id;
    crypto::ViewerHandshake handshake{crypto::EcdhKeyPair::generate().value(), crypto::SessionId{}, id};
    std::optional<crypto::E2eChannel> channel;
    std::size_t seen = 0;  // relays already read
    std::vector<inner::Message> received;
    std::vector<crypto::RecordStream> streams;  // per received message: the stream it came on
    std::vector<envelope::RelayMark> marks;  // the relay mark each of `received` came with
    std::size_t handled = 0;  // messages of `received` drain() has handed out

    // The next relay for this viewer at or after `seen`, waiting for it (bounded).
    envelope::Relay nextRelay(FakeSender& sender) {
        for (int round = 0; round < 1000; ++round) {
            auto relays = sender.waitFor(seen + 1, 5s);
            if (relays.size() <= seen) break;  // nothing new within 5 s
            for (; seen < relays.size(); ++seen) {
                if (relays[seen].peerId == id) return relays[seen++];
            }
        }
        FAIL("no record for viewer " << id);
        return {};
    }
    void join(SessionLoop& loop, FakeSender& sender, envelope::ViewerMode mode) {
        loop.envelopeReceived(envelope::ViewerJoined{{}, id, mode});
        // The KeyCommit is sent before the call returns; other viewers' frames may surround it.
        auto share = handshake.commitReceived(nextRelay(sender).sealed);
        REQUIRE(share.ok());
        loop.envelopeReceived(envelope::Relay{id, *share});
        // KeyConfirm comes before any sealed record.
        auto c = handshake.confirmReceived(nextRelay(sender).sealed);
        REQUIRE(c.ok());
        channel.emplace(std::move(*c));
    }
    // Opens every new relay addressed to this viewer.
    void read(const std::vector<envelope::Relay>& relays) {
        for (; seen < relays.size(); ++seen) {
            if (relays[seen].peerId != id) continue;
            auto plain = channel->open(relays[seen].sealed);
            REQUIRE(plain.ok());
            auto m = inner::decode(plain->message);
            REQUIRE(m.ok());
            received.push_back(*m);
            streams.push_back(plain->stream);
            marks.push_back(relays[seen].mark);
        }
    }
    /// Reads what arrived and hands each message not handled before to `each`; a FrameEnd is
    /// then acknowledged at once unless `ack` is false (the caller acknowledges it itself).
    void drain(SessionLoop& loop, FakeSender& sender, const std::function<void(const inner::Message&)>& each,
               bool ack = true) {
        read(sender.waitFor(0, 0ms));
        for (; handled < received.size(); ++handled) {
            const inner::Message m = received[handled];  // a copy: `each` may send, and reading may grow `received`
            each(m);
            if (auto* end = std::get_if<inner::FrameEnd>(&m); end && ack) send(loop, inner::FrameAck{end->sequence});
        }
    }
    /// drain() every 10 ms until `done` says so or `limit` has passed.
    void serve(SessionLoop& loop, FakeSender& sender, std::chrono::milliseconds limit, const std::function<bool()>& done,
               const std::function<void(const inner::Message&)>& each) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
            drain(loop, sender, each);
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
        auto sealed = channel->seal(*plain, crypto::RecordStream::Ordered,
                                    isInput(m) ? inner::kInputPlaintextSize : 0);
        REQUIRE(sealed.ok());
        loop.envelopeReceived(envelope::Relay{id, *sealed});
    }
};

// Reads until the viewer has seen `n` FrameEnds (bounded), then a little longer, so that
// a frame beyond the window would have had time to arrive.
inline int frameEndsSettled(TestViewer& viewer, FakeSender& sender, int n) {
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
inline CapturerFactory fakeScreens(Counters& counters) {
    return [&counters] {
        return Result<std::unique_ptr<platform::ScreenCapturer>, platform::BackendError>(
            std::make_unique<FakeCapturer>(counters));
    };
}

// Like fakeScreens, with each new capturer scripted first (stopAfter, moveAllFor).
inline CapturerFactory scriptedScreens(Counters& counters, std::function<void(FakeCapturer&)> script) {
    return [&counters, script] {
        auto capturer = std::make_unique<FakeCapturer>(counters);
        script(*capturer);
        return Result<std::unique_ptr<platform::ScreenCapturer>, platform::BackendError>(std::move(capturer));
    };
}

inline SessionSettings fastSettings() {
    SessionSettings s;
    s.framesInFlight = 2;
    s.ackStall = 60s;  // never in these tests
    s.captureWait = 10ms;
    return s;
}

}  // namespace guru::test
