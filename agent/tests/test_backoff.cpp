// Reconnect schedule (fixed "random" values and a fake clock) and the frame window.
#include <doctest/doctest.h>

#include <vector>

#include "core/backoff.h"
#include "core/frame_window.h"
#include "core/link_quality.h"

using namespace guru;
using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

namespace {

// Returns the queued values in turn, then the last one forever.
struct FakeRandom {
    std::vector<double> values;
    std::size_t next = 0;
    double operator()() {
        double v = values[std::min(next, values.size() - 1)];
        ++next;
        return v;
    }
};

}  // namespace

TEST_CASE("ceilings double from 0.5 s to 4 s for 40 attempts, then to the 30 s cap") {
    Backoff b(BackoffPolicy{}, [] { return 0.999999; });
    std::vector<std::int64_t> ceilings;
    for (int i = 0; i < 6; ++i) {
        ceilings.push_back(b.ceiling().count());
        (void)b.nextDelay();
    }
    CHECK(ceilings == std::vector<std::int64_t>{500, 1000, 2000, 4000, 4000, 4000});
    while (b.failures() < 39) (void)b.nextDelay();
    CHECK(b.ceiling() == 4000ms);  // the last fast attempt: back within 4 s of a restart
    (void)b.nextDelay();
    CHECK(b.ceiling() == 30000ms);
    // Thousands of failures never overflow.
    for (int i = 0; i < 5000; ++i) (void)b.nextDelay();
    CHECK(b.ceiling() == 30000ms);
}

TEST_CASE("full jitter: each delay is uniform below its ceiling") {
    FakeRandom r{{0.0, 0.5, 0.999, 0.25}};
    Backoff b(BackoffPolicy{}, std::ref(r));
    CHECK(b.nextDelay() == 0ms);      // 0 × 500
    CHECK(b.nextDelay() == 500ms);    // 0.5 × 1000
    CHECK(b.nextDelay() == 1998ms);   // 0.999 × 2000
    CHECK(b.nextDelay() == 1000ms);   // 0.25 × 4000
    CHECK(b.failures() == 4);
}

TEST_CASE("a stable connection resets the schedule; a short one does not") {
    Backoff b(BackoffPolicy{}, [] { return 0.5; });
    Backoff::Clock::time_point t{};  // a fake clock: time only moves when the test says
    for (int i = 0; i < 5; ++i) (void)b.nextDelay();
    CHECK(b.failures() == 5);

    b.connected(t);
    b.disconnected(t + 9s);  // flapping: up for less than stableAfter
    CHECK(b.failures() == 5);

    t += 20s;
    b.connected(t);
    b.disconnected(t + 10s);  // stable
    CHECK(b.failures() == 0);
    CHECK(b.nextDelay() == 250ms);
}

TEST_CASE("a refusal backs off to the cap and stays there") {
    FakeRandom r{{0.0, 1.0, 0.0}};
    Backoff b(BackoffPolicy{}, std::ref(r));
    CHECK(b.penaltyDelay() == 15000ms);  // [cap/2, cap)
    CHECK(b.penaltyDelay() == 30000ms);
    CHECK(b.ceiling() == 30000ms);
    CHECK(b.nextDelay() == 0ms);  // an ordinary failure after a refusal: jitter under the cap
    CHECK(b.ceiling() == 30000ms);
}

TEST_CASE("frame window: bounded in flight, cumulative acks, stale acks ignored") {
    FrameWindow w(2, 3000ms);
    FrameWindow::Clock::time_point t{};
    CHECK_FALSE(w.full());
    CHECK(w.send(t) == 1);
    CHECK(w.send(t) == 2);
    CHECK(w.full());
    w.ack(7, t);  // never sent
    CHECK(w.inFlight() == 2);
    auto skipping = w.ack(2, t);  // covers 1 too: the relay dropped frame 1
    REQUIRE(skipping);
    CHECK(skipping->skipped == 1);
    CHECK(w.inFlight() == 0);
    w.ack(1, t);  // already covered
    CHECK(w.inFlight() == 0);
    CHECK(w.send(t) == 3);
    auto inOrder = w.ack(3, t);
    REQUIRE(inOrder);
    CHECK(inOrder->skipped == 0);
    CHECK(w.inFlight() == 0);
}

TEST_CASE("frame window: a lost ack stalls, then reopens") {
    FrameWindow w(1, 3000ms);
    FrameWindow::Clock::time_point t{};
    w.send(t);
    CHECK(w.full());
    CHECK_FALSE(w.stalled(t + 2999ms));
    CHECK(w.stalled(t + 3000ms));
    w.reopen(t + 3000ms);
    CHECK_FALSE(w.full());
}

TEST_CASE("frame window: an ack reports its frame's round trip, once") {
    FrameWindow w(2, 3000ms);
    FrameWindow::Clock::time_point t{};
    w.send(t);
    w.send(t + 10ms);
    auto acked = w.ack(2, t + 70ms);  // covers frame 1 too; the round trip is frame 2's
    REQUIRE(acked);
    CHECK(acked->roundTrip == 60ms);
    CHECK_FALSE(w.ack(2, t + 80ms));  // already acknowledged
    CHECK_FALSE(w.ack(9, t + 80ms));  // never sent
}

TEST_CASE("link quality: slow round trips lower the tier, fast ones restore it, with hysteresis") {
    LinkQuality q;
    CHECK(q.tier() == QualityTier::Full);
    for (int i = 0; i < 20; ++i) q.sample(40ms);
    CHECK(q.tier() == QualityTier::Full);
    for (int i = 0; i < 20; ++i) q.sample(200ms);
    CHECK(q.tier() == QualityTier::Reduced);
    for (int i = 0; i < 20; ++i) q.sample(600ms);
    CHECK(q.tier() == QualityTier::Low);
    for (int i = 0; i < 20; ++i) q.sample(300ms);  // between 250 and 350: stays Low
    CHECK(q.tier() == QualityTier::Low);
    for (int i = 0; i < 20; ++i) q.sample(200ms);
    CHECK(q.tier() == QualityTier::Reduced);
    for (int i = 0; i < 20; ++i) q.sample(120ms);  // between 100 and 150: stays Reduced
    CHECK(q.tier() == QualityTier::Reduced);
    for (int i = 0; i < 20; ++i) q.sample(30ms);
    CHECK(q.tier() == QualityTier::Full);
    CHECK(tierSettings(QualityTier::Low, 80, 55).jpegQuality < tierSettings(QualityTier::Reduced, 80, 55).jpegQuality);
    CHECK(tierSettings(QualityTier::Low, 80, 55).videoRate < 1.0);
}

TEST_CASE("frame window: one unacked frame stalls too, though the window is not full") {
    FrameWindow w(2, 3000ms);
    FrameWindow::Clock::time_point t{};
    CHECK_FALSE(w.stalled(t + 10000ms));  // nothing in flight: idle, not stalled
    w.send(t);
    CHECK_FALSE(w.full());
    CHECK_FALSE(w.stalled(t + 2999ms));
    CHECK(w.stalled(t + 3000ms));
    w.ack(1, t + 3000ms);
    CHECK_FALSE(w.stalled(t + 9000ms));
}

TEST_CASE("frame window: sequence numbers wrap") {
    FrameWindow w(2, 3000ms);
    FrameWindow::Clock::time_point t{};
    for (std::uint32_t i = 0; i < 5; ++i) {
        w.send(t);
        w.ack(i + 1, t);
    }
    CHECK(w.inFlight() == 0);
}
