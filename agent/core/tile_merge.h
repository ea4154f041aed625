// Merges the tiles a frame sends into fewer, larger rectangles of one content class, so a
// full-screen change is a handful of TileUpdates instead of hundreds: fewer records to seal,
// relay, open and decode, and JPEG/WebP compress across what were tile borders. Tiles stay
// the unit of change tracking; rectangles are only how they travel.
#pragma once

#include <cstddef>
#include <vector>

#include "core/image.h"
#include "core/tile_classifier.h"

namespace guru {

/// One rectangle to encode: adjacent tiles of the grid that share a content class.
struct MergedRect {
    Rect rect;
    TileContent content = TileContent::FewColours;
    std::size_t firstTile = 0;  // grid index of its top-left tile
};

/// Size limits of one merged rectangle. The pixel cap keeps even a worst-case lossless
/// encoding (about 3 bytes a pixel) well under the 1 MiB envelope payload.
struct MergeLimits {
    int maxHeight = 256;
    long maxPixels = 1920L * 128;
};

/// Merges the tiles marked in `chosen`: first runs along each row, then runs of the same
/// span and class down the rows. `grid[i]` is tile i's rectangle (clipped to the screen),
/// row-major with `columns` per row; `content[i]` is its class. The result is in row-major
/// order of each rectangle's first tile and covers exactly the chosen tiles.
std::vector<MergedRect> mergeTiles(const std::vector<Rect>& grid, int columns,
                                   const std::vector<bool>& chosen,
                                   const std::vector<TileContent>& content, MergeLimits limits = {});

/// The grid indices of the tiles that `rect` (a union of whole grid tiles) covers.
std::vector<std::size_t> tilesOf(const Rect& rect, int tileSize, int columns);

}  // namespace guru
