// Exponential backoff with full jitter.
#include "core/backoff.h"

#include <algorithm>
#include <cmath>

namespace guru {

std::chrono::milliseconds Backoff::ceiling() const {
    const double base = static_cast<double>(policy_.base.count());
    const auto limit = failures_ < policy_.fastAttempts ? std::min(policy_.fastCap, policy_.cap) : policy_.cap;
    const double cap = static_cast<double>(limit.count());
    // Clamp the exponent so the power cannot overflow however long the outage.
    const double grown = base * std::pow(policy_.factor, std::min<std::uint32_t>(failures_, 64));
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(cap, grown)));
}

std::chrono::milliseconds Backoff::nextDelay() {
    const auto top = ceiling();
    ++failures_;
    const double u = std::clamp(uniform01_(), 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(u * static_cast<double>(top.count())));
}

std::chrono::milliseconds Backoff::penaltyDelay() {
    // Jump the schedule to the cap so the following attempts stay slow too.
    while (ceiling() < policy_.cap && failures_ < 64) ++failures_;
    const double half = static_cast<double>(policy_.cap.count()) / 2.0;
    const double u = std::clamp(uniform01_(), 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(half + u * half));
}

void Backoff::connected(Clock::time_point now) {
    up_ = true;
    connectedAt_ = now;
}

void Backoff::disconnected(Clock::time_point now) {
    if (up_ && now - connectedAt_ >= policy_.stableAfter) failures_ = 0;
    up_ = false;
}

}  // namespace guru
