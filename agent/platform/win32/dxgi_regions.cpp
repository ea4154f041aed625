// Pure rectangle arithmetic; see dxgi_regions.h.
#include "platform/win32/dxgi_regions.h"

#include <algorithm>
#include <limits>

namespace guru::platform::win32 {

std::optional<Rect> rectFromEdges(long left, long top, long right, long bottom) {
    // long is 32 bits on Windows (LLP64): the differences are taken in 64 bits, where
    // INT_MAX - INT_MIN cannot overflow, and judged before narrowing.
    constexpr long long kMin = std::numeric_limits<int>::min();
    constexpr long long kMax = std::numeric_limits<int>::max();
    const long long l = left, t = top, r = right, b = bottom;
    if (l < kMin || t < kMin || r > kMax || b > kMax) return std::nullopt;
    if (r <= l || b <= t) return std::nullopt;
    if (r - l > kMax || b - t > kMax) return std::nullopt;
    return Rect{static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left),
                static_cast<int>(bottom - top)};
}

Rect boundingBox(std::span<const Rect> rects) {
    bool any = false;
    int left = 0, top = 0, right = 0, bottom = 0;
    for (const Rect& r : rects) {
        if (r.empty()) continue;
        if (!any) {
            left = r.x, top = r.y, right = r.right(), bottom = r.bottom();
            any = true;
            continue;
        }
        left = std::min(left, r.x);
        top = std::min(top, r.y);
        right = std::max(right, r.right());
        bottom = std::max(bottom, r.bottom());
    }
    if (!any) return {};
    return {left, top, right - left, bottom - top};
}

std::vector<OutputRegion> changedRegions(const Rect& output, std::span<const Rect> local,
                                         std::size_t maxRegions) {
    const Rect whole{0, 0, output.width, output.height};
    maxRegions = std::max<std::size_t>(maxRegions, 1);
    std::vector<Rect> clipped;
    clipped.reserve(std::min(local.size(), maxRegions + 1));
    for (const Rect& r : local) {
        const Rect c = r.intersect(whole);
        if (c.empty()) continue;
        clipped.push_back(c);
        if (clipped.size() > maxRegions) break;  // will collapse anyway
    }
    if (clipped.size() > maxRegions) {
        // The rest can lie anywhere on the output: bound all of them, not just those seen.
        std::vector<Rect> all;
        for (const Rect& r : local) all.push_back(r.intersect(whole));
        clipped.assign(1, boundingBox(all));
    }
    std::vector<OutputRegion> regions;
    regions.reserve(clipped.size());
    for (const Rect& c : clipped) {
        regions.push_back({c, Rect{c.x + output.x, c.y + output.y, c.width, c.height}});
    }
    return regions;
}

std::vector<Rect> uncoveredRects(const Rect& screen, std::span<const Rect> outputs) {
    std::vector<Rect> left;
    if (!screen.empty()) left.push_back(screen);
    for (const Rect& cover : outputs) {
        std::vector<Rect> next;
        for (const Rect& r : left) {
            const Rect overlap = r.intersect(cover);
            if (overlap.empty()) {
                next.push_back(r);
                continue;
            }
            // Up to four pieces: the full-width bands above and below, then the two sides.
            const Rect pieces[] = {
                {r.x, r.y, r.width, overlap.y - r.y},
                {r.x, overlap.bottom(), r.width, r.bottom() - overlap.bottom()},
                {r.x, overlap.y, overlap.x - r.x, overlap.height},
                {overlap.right(), overlap.y, r.right() - overlap.right(), overlap.height},
            };
            for (const Rect& p : pieces) {
                if (!p.empty()) next.push_back(p);
            }
        }
        left = std::move(next);
    }
    return left;
}

}  // namespace guru::platform::win32
