// Reconnect delays: exponential backoff with full jitter, reset after a stable connection.
// Pure logic with caller-supplied time and randomness, so the schedule is unit-testable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace guru {

/// The reconnect schedule's constants.
struct BackoffPolicy {
    std::chrono::milliseconds base{500};
    double factor = 2.0;
    std::chrono::milliseconds cap{30000};
    /// For the first `fastAttempts` failures the ceiling stays at `fastCap`, so an agent is back
    /// within seconds of a server restart (the product's promise: under 5 s); a longer outage then
    /// backs off to `cap` to spare a dead server.
    std::chrono::milliseconds fastCap{4000};
    std::uint32_t fastAttempts = 40;
    /// A connection that stayed up this long resets the schedule to `base`.
    std::chrono::milliseconds stableAfter{10000};
};

/// Computes the wait before each reconnect attempt.
class Backoff {
public:
    using Clock = std::chrono::steady_clock;
    /// `uniform01` returns values in [0, 1) (a PRNG in the agent, fixed values in tests).
    Backoff(BackoffPolicy policy, std::function<double()> uniform01)
        : policy_(policy), uniform01_(std::move(uniform01)) {}

    /// The ceiling of the next delay: min(fastCap or cap, base · factor^failures).
    std::chrono::milliseconds ceiling() const;
    /// Full jitter: a uniform delay in [0, ceiling); then the ceiling grows.
    std::chrono::milliseconds nextDelay();
    /// For refusals that retrying soon cannot fix (bad credential, rate limit): a delay in
    /// [cap/2, cap), and the schedule stays at the cap.
    std::chrono::milliseconds penaltyDelay();
    /// The connection is authenticated and up.
    void connected(Clock::time_point now);
    /// The connection dropped; resets the schedule if it had been stable.
    void disconnected(Clock::time_point now);
    /// Failed attempts since the last reset.
    std::uint32_t failures() const { return failures_; }

private:
    BackoffPolicy policy_;
    std::function<double()> uniform01_;
    std::uint32_t failures_ = 0;
    Clock::time_point connectedAt_{};
    bool up_ = false;
};

}  // namespace guru
