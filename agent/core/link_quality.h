// How much a viewer's link can take, judged from the round trip of its frames (agent sends →
// viewer paints → FrameAck arrives): a slow link or a slow viewer gets smaller frames (lower
// JPEG quality, a lower video bitrate), so what it sees stays fresh instead of lagging.
#pragma once

#include <chrono>
#include <cstdint>

namespace guru {

/// Quality tiers, best first.
enum class QualityTier : std::uint8_t { Full, Reduced, Low };

/// JPEG quality (still / moving) and share of the video bitrate for a tier.
struct TierSettings {
    int jpegQuality;
    int motionJpegQuality;
    double videoRate;
};

/// The tier's encoder settings; `full` holds the Full tier's JPEG qualities.
inline TierSettings tierSettings(QualityTier tier, int fullQuality, int fullMotionQuality) {
    switch (tier) {
        case QualityTier::Full: return {fullQuality, fullMotionQuality, 1.0};
        case QualityTier::Reduced: return {fullQuality * 4 / 5, fullMotionQuality * 4 / 5, 0.6};
        case QualityTier::Low: return {fullQuality * 5 / 8, fullMotionQuality * 5 / 8, 0.35};
    }
    return {fullQuality, fullMotionQuality, 1.0};
}

/// A smoothed frame round trip and the tier it calls for, with hysteresis so the tier does
/// not flap: Full → Reduced above 150 ms, back under 100; Reduced → Low above 350, back under 250.
class LinkQuality {
public:
    void sample(std::chrono::milliseconds rtt) {
        const double ms = static_cast<double>(rtt.count());
        smoothed_ = samples_++ == 0 ? ms : smoothed_ * 0.75 + ms * 0.25;
        switch (tier_) {
            case QualityTier::Full:
                if (smoothed_ > 350) tier_ = QualityTier::Low;
                else if (smoothed_ > 150) tier_ = QualityTier::Reduced;
                break;
            case QualityTier::Reduced:
                if (smoothed_ > 350) tier_ = QualityTier::Low;
                else if (smoothed_ < 100) tier_ = QualityTier::Full;
                break;
            case QualityTier::Low:
                if (smoothed_ < 100) tier_ = QualityTier::Full;
                else if (smoothed_ < 250) tier_ = QualityTier::Reduced;
                break;
        }
    }
    QualityTier tier() const { return tier_; }
    double smoothedMs() const { return smoothed_; }

private:
    double smoothed_ = 0;
    std::uint64_t samples_ = 0;
    QualityTier tier_ = QualityTier::Full;
};

}  // namespace guru
