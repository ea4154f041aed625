// Session loop, planning one pass: which tiles each viewer gets, merged into rectangles and
// cut to the frame budget round robin, so a region that keeps changing cannot starve the
// rest of the screen. Photographic tiles that keep changing are Moving (a lower JPEG
// quality); tiles sent as JPEG come back as lossless refinements once they have been still
// for `refineAfter`. The classifying and merging run outside the session lock,
// so input from the network thread never waits on them.
#include <algorithm>

#include "core/session_stream.h"

namespace guru {

namespace {

using Clock = std::chrono::steady_clock;

/// A tile that changed twice in a row, each within this of the one before, is moving.
constexpr auto kMotionGap = std::chrono::milliseconds(250);
constexpr std::uint8_t kMovingStreak = 2;
/// Video mode: on after 3 passes in a row with at least 40% of the screen moving; off once no
/// pass has had that for 800 ms (a pass under 20% breaks a run towards on).
constexpr double kVideoOnShare = 0.4;
constexpr double kVideoCalmShare = 0.2;
constexpr int kVideoOnPasses = 3;
constexpr auto kVideoLinger = std::chrono::milliseconds(800);

bool any(const std::vector<bool>& flags) { return std::find(flags.begin(), flags.end(), true) != flags.end(); }

}  // namespace

std::vector<SessionLoop::FramePlan> SessionLoop::takePending(Stream& s, const std::vector<Rect>& changed,
                                                             bool shape, bool moved) {
    const auto now = Clock::now();
    const int ts = s.tracker.tileSize();
    const std::size_t n = s.grid.size();
    std::vector<std::size_t> changedTiles;
    changedTiles.reserve(changed.size());
    for (const Rect& r : changed) {
        const auto i = static_cast<std::size_t>((r.y / ts) * s.columns + r.x / ts);
        if (i >= n) continue;
        changedTiles.push_back(i);
        const bool soon = now - s.changedAt[i] < kMotionGap;
        s.changeStreak[i] = soon ? static_cast<std::uint8_t>(std::min(s.changeStreak[i] + 1, 255)) : 0;
        s.changedAt[i] = now;
    }
    updateVideoMode(s, changedTiles, now);

    std::vector<FramePlan> plans;
    std::lock_guard lock(mutex_);
    for (auto it = s.videos.begin(); it != s.videos.end();) {  // streams of viewers that left
        const auto v = viewers_.find(it->first);
        it = v == viewers_.end() || !v->second->ready ? s.videos.erase(it) : std::next(it);
    }
    for (auto& [id, v] : viewers_) {
        if (!v->ready) continue;
        FramePlan p;
        p.viewer = v;
        p.tier = v->link.tier();
        if (v->needsIntro) {
            p.intro = true;
            v->needsIntro = false;
            v->pendingTiles.assign(n, true);
            v->lossyTiles.assign(n, false);
            v->refineTiles.assign(n, false);
            v->nextTile = 0;
        } else {
            v->pendingTiles.resize(n, true);
            v->lossyTiles.resize(n, false);
            v->refineTiles.resize(n, false);
            for (std::size_t i : changedTiles) {
                v->pendingTiles[i] = true;
                v->refineTiles[i] = false;
            }
            for (std::size_t i = 0; i < n; ++i) {
                if (v->lossyTiles[i] && !v->pendingTiles[i] && now - s.changedAt[i] >= settings_.refineAfter) {
                    v->pendingTiles[i] = true;
                    v->refineTiles[i] = true;
                }
            }
        }
        p.cursor = shape || (p.intro && s.cursor.has_value());
        p.position = s.position && (moved || p.intro);
        if (s.video) {
            // The whole screen travels as video: nothing is pending as tiles, and every tile
            // is lossy, so the refinement after the motion sends the screen losslessly.
            v->pendingTiles.assign(n, false);
            v->refineTiles.assign(n, false);
            v->lossyTiles.assign(n, true);
            const bool fresh = !s.videos.contains(id);
            if ((p.intro || !v->window.full()) && (p.intro || fresh || !changedTiles.empty())) {
                p.video = true;
                p.keyframe = p.intro || fresh;
            }
        } else if ((p.intro || !v->window.full()) && any(v->pendingTiles)) {
            p.chosen = v->pendingTiles;
            p.refine = v->refineTiles;
            v->pendingTiles.assign(n, false);
            p.start = v->nextTile < n ? v->nextTile : 0;
        }
        if (p.intro || p.cursor || p.position || p.video || !p.chosen.empty()) plans.push_back(std::move(p));
    }
    return plans;
}

void SessionLoop::updateVideoMode(Stream& s, const std::vector<std::size_t>& changedTiles,
                                  std::chrono::steady_clock::time_point now) {
    if (!settings_.video || s.videoBroken || s.grid.empty()) return;
    if (!changedTiles.empty()) {
        const auto moving = std::count_if(changedTiles.begin(), changedTiles.end(),
                                          [&s](std::size_t i) { return s.changeStreak[i] >= kMovingStreak; });
        const double share = static_cast<double>(moving) / static_cast<double>(s.grid.size());
        if (share >= kVideoOnShare) {
            ++s.busyPasses;
            s.lastBusy = now;
        } else if (share < kVideoCalmShare) {
            s.busyPasses = 0;
        }
    }
    if (!s.video && s.busyPasses >= kVideoOnPasses) {
        s.video = true;
        log("session: full-screen motion, video mode on");
    } else if (s.video && now - s.lastBusy > kVideoLinger) {
        s.video = false;
        s.busyPasses = 0;
        s.videos.clear();
        log("session: motion over, back to tiles");
    }
}

void SessionLoop::mergePending(Stream& s, std::vector<FramePlan>& plans) {
    const ImageView image = s.tracker.image();
    std::vector<std::optional<TileContent>> classes(s.grid.size());  // once per pass, shared
    for (FramePlan& p : plans) {
        if (p.chosen.empty()) continue;
        std::vector<TileContent> content(s.grid.size(), TileContent::FewColours);
        for (std::size_t i = 0; i < s.grid.size(); ++i) {
            if (!p.chosen[i] || p.refine[i]) continue;  // a refinement is lossless whatever it shows
            if (!classes[i]) {
                classes[i] = s.encoder.classify(image.sub(s.grid[i]));
                if (*classes[i] == TileContent::Photographic && s.changeStreak[i] >= kMovingStreak) {
                    classes[i] = TileContent::Moving;
                }
            }
            content[i] = *classes[i];
        }
        std::vector<MergedRect> rects = mergeTiles(s.grid, s.columns, p.chosen, content);
        // Round robin: start at the first rectangle at or after where the last frame stopped.
        const auto first = std::find_if(rects.begin(), rects.end(),
                                         [&p](const MergedRect& m) { return m.firstTile >= p.start; });
        std::rotate(rects.begin(), first, rects.end());
        const std::size_t take = std::min(rects.size(), settings_.tilesPerFrame);
        for (std::size_t k = take; k < rects.size(); ++k) {
            for (std::size_t i : tilesOf(rects[k].rect, s.tracker.tileSize(), s.columns)) p.later.push_back(i);
        }
        rects.resize(take);
        p.rects = std::move(rects);
    }
}

void SessionLoop::commitPlans(const Stream& s, std::vector<FramePlan>& plans) {
    const auto now = Clock::now();
    const std::size_t n = s.grid.size();
    std::lock_guard lock(mutex_);
    for (FramePlan& p : plans) {
        Viewer& v = *p.viewer;
        if (v.needsIntro || v.pendingTiles.size() != n) {
            p.rects.clear();  // it starts over with a full screen next pass anyway
            p.video = false;
            continue;
        }
        if (p.video) {
            p.sequence = v.window.send(now);
            continue;
        }
        for (std::size_t i : p.later) v.pendingTiles[i] = true;
        for (const MergedRect& m : p.rects) {
            for (std::size_t i : tilesOf(m.rect, s.tracker.tileSize(), s.columns)) {
                v.lossyTiles[i] = m.content != TileContent::FewColours;
                v.refineTiles[i] = false;
            }
        }
        if (!p.rects.empty()) {
            p.sequence = v.window.send(now);
            v.nextTile = (p.rects.back().firstTile + 1) % n;
        }
    }
}

}  // namespace guru
