// The screen thread's state and the plan of one pass for one viewer. Internal to the
// session loop: session_stream.cpp runs the passes, session_plan.cpp plans them.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "core/session_loop.h"
#include "core/tile_merge.h"
#include "core/tile_tracker.h"

namespace guru {

/// What the screen thread owns: nothing here is shared with the network thread.
struct SessionLoop::Stream {
    explicit Stream(const EncodeSettings& encode) : encoder(encode) {}
    std::unique_ptr<platform::ScreenCapturer> capturer;
    TileTracker tracker;
    EncodeManager encoder;
    std::vector<Rect> grid;  // every tile of the desktop, row-major
    int columns = 0;
    std::vector<std::chrono::steady_clock::time_point> changedAt;  // per tile: last change
    std::vector<std::uint8_t> changeStreak;  // per tile: changes in a row, each soon after the last
    // The video mode (session_plan.cpp): on while most of the screen keeps moving.
    bool video = false;
    bool videoBroken = false;  // the codec failed: tiles only from then on
    int busyPasses = 0;        // passes in a row with most of the screen moving
    std::chrono::steady_clock::time_point lastBusy{};
    /// One stream per viewer in video mode (its frames depend on each other).
    struct ViewerVideo {
        std::unique_ptr<VideoEncoder> encoder;
        std::chrono::steady_clock::time_point start{};
    };
    std::map<std::uint32_t, ViewerVideo> videos;
    inner::MonitorLayout layout;
    inner::SessionInfo info;  // the capture path, what Ctrl+Alt+Del does, elevation, for intros
    std::optional<inner::CursorImage> cursor;
    std::optional<inner::CursorPosition> position;
    bool openFailedLogged = false;
};

/// One viewer's share of one pass: taken from its pending tiles under the lock, merged and
/// cut to the frame budget outside it, then committed under the lock again.
struct SessionLoop::FramePlan {
    std::shared_ptr<Viewer> viewer;
    bool intro = false;
    bool cursor = false;
    bool position = false;
    std::vector<bool> chosen;        // per tile: taken from the viewer's pending tiles
    std::vector<bool> refine;        // per tile: taken as a lossless refinement
    std::size_t start = 0;           // round robin: the first tile this frame may start at
    std::vector<MergedRect> rects;   // what this frame sends
    std::vector<std::size_t> later;  // chosen tiles over the budget: pending again
    bool video = false;              // this frame is one video frame of the whole screen
    bool keyframe = false;           // ... that must be a keyframe (intro)
    QualityTier tier = QualityTier::Full;  // what the viewer's link takes now
    std::uint32_t sequence = 0;
};

}  // namespace guru
