// Rectangle arithmetic of the DXGI capturer, kept apart from DXGI so that tests need no GPU:
// an output's changed rectangles (in its own coordinates) clipped to it and placed on the
// desktop (virtual-screen coordinates moved so the corner is (0, 0)), and the parts of the
// desktop no output covers.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/image.h"

namespace guru::platform::win32 {

/// One changed region of an output: where its pixels are in that output's image, and
/// where they go on the desktop (the same size).
struct OutputRegion {
    Rect local;
    Rect desktop;
    bool operator==(const OutputRegion&) const = default;
};

/// A rectangle given by its edges, right and bottom exclusive (a Win32 RECT); nullopt if
/// it is empty or inverted.
std::optional<Rect> rectFromEdges(long left, long top, long right, long bottom);

/// The smallest rectangle holding every non-empty one of `rects` (empty if there is none).
Rect boundingBox(std::span<const Rect> rects);

/// `local` rectangles of the output at `output` (desktop coordinates) clipped to the output
/// and paired with their desktop positions; empty ones are dropped. More than `maxRegions`
/// (DXGI may report hundreds of tiny ones) become their bounding box, a single region;
/// `maxRegions` below 1 counts as 1.
std::vector<OutputRegion> changedRegions(const Rect& output, std::span<const Rect> local,
                                         std::size_t maxRegions);

/// The parts of `screen` that none of `outputs` covers (gaps between monitors of different
/// sizes), as non-overlapping rectangles.
std::vector<Rect> uncoveredRects(const Rect& screen, std::span<const Rect> outputs);

}  // namespace guru::platform::win32
