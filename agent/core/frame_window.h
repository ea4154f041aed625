// Viewer-driven flow control (cf. TigerVNC's Congestion): at most `limit` frames in flight,
// the next frame waits for a FrameAck. An ack for frame n also covers every frame before
// it; when it skips frames, the relay dropped them (it drops a slow viewer's picture frames
// whole, docs/protocol.md §2.5), and the caller resends the whole screen, since what those
// frames carried never arrived. If a frame stays unacked for `stallAfter`, the window reopens
// (the frame or its ack was lost, or the viewer is paused and dropped it) and the caller
// resends the whole screen too, so nothing stays stale, even when that one frame held the
// whole screen and the window never filled.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

namespace guru {

/// Sequence numbers of one viewer's frames in flight.
class FrameWindow {
public:
    using Clock = std::chrono::steady_clock;

    /// Most frames a window can hold in flight.
    static constexpr std::uint32_t kMaxLimit = 8;

    explicit FrameWindow(std::uint32_t limit = 2,
                         std::chrono::milliseconds stallAfter = std::chrono::milliseconds(3000))
        : limit_(std::clamp<std::uint32_t>(limit, 1, kMaxLimit)), stallAfter_(stallAfter) {}

    std::uint32_t inFlight() const { return lastSent_ - lastAcked_; }
    bool full() const { return inFlight() >= limit_; }
    /// Takes the next sequence number for a frame being sent now.
    std::uint32_t send(Clock::time_point now) {
        if (inFlight() == 0) progressAt_ = now;
        ++lastSent_;
        sentAt_[lastSent_ % kMaxLimit] = now;
        return lastSent_;
    }
    /// What one FrameAck said.
    struct Acked {
        Clock::duration roundTrip;  // of the acknowledged frame, sent → acked
        std::uint32_t skipped;      // frames before it that were never acknowledged: lost
    };
    /// A FrameAck. Sequences never sent or already acknowledged are ignored (nullopt).
    std::optional<Acked> ack(std::uint32_t sequence, Clock::time_point now) {
        const std::uint32_t ahead = sequence - lastAcked_;  // modular: wraps safely
        if (ahead == 0 || ahead > inFlight()) return std::nullopt;
        lastAcked_ = sequence;
        progressAt_ = now;
        return Acked{now - sentAt_[sequence % kMaxLimit], ahead - 1};
    }
    /// A frame in flight, and no ack for stallAfter.
    bool stalled(Clock::time_point now) const { return inFlight() > 0 && now - progressAt_ >= stallAfter_; }
    /// Gives up on the frames in flight.
    void reopen(Clock::time_point now) {
        lastAcked_ = lastSent_;
        progressAt_ = now;
    }

private:
    std::uint32_t limit_;
    std::chrono::milliseconds stallAfter_;
    std::uint32_t lastSent_ = 0;
    std::uint32_t lastAcked_ = 0;
    Clock::time_point progressAt_{};
    std::array<Clock::time_point, kMaxLimit> sentAt_{};  // by sequence % kMaxLimit
};

}  // namespace guru
