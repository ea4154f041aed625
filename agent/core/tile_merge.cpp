// Row runs first, then growing each run downwards while the next row has the same run.
#include "core/tile_merge.h"

namespace guru {

namespace {

long area(const Rect& r) { return static_cast<long>(r.width) * r.height; }

}  // namespace

std::vector<MergedRect> mergeTiles(const std::vector<Rect>& grid, int columns,
                                   const std::vector<bool>& chosen,
                                   const std::vector<TileContent>& content, MergeLimits limits) {
    std::vector<MergedRect> out;
    if (columns <= 0 || grid.empty() || chosen.size() != grid.size() || content.size() != grid.size()) {
        return out;
    }
    const std::size_t cols = static_cast<std::size_t>(columns);
    std::vector<std::size_t> open;  // indices into `out` that end at the previous row's bottom
    std::vector<std::size_t> nextOpen;
    for (std::size_t rowStart = 0; rowStart < grid.size(); rowStart += cols) {
        const std::size_t rowEnd = std::min(rowStart + cols, grid.size());
        nextOpen.clear();
        std::size_t i = rowStart;
        while (i < rowEnd) {
            if (!chosen[i]) {
                ++i;
                continue;
            }
            // A run of chosen tiles of one class along this row, within the pixel cap.
            MergedRect run{grid[i], content[i], i};
            std::size_t j = i + 1;
            while (j < rowEnd && chosen[j] && content[j] == run.content &&
                   area(run.rect) + area(grid[j]) <= limits.maxPixels) {
                run.rect.width = grid[j].right() - run.rect.x;
                ++j;
            }
            i = j;
            // Extend the rectangle above if it has exactly this span and class.
            bool extended = false;
            for (std::size_t k : open) {
                Rect& above = out[k].rect;
                if (above.x == run.rect.x && above.width == run.rect.width &&
                    above.bottom() == run.rect.y && out[k].content == run.content &&
                    above.height + run.rect.height <= limits.maxHeight &&
                    area(above) + area(run.rect) <= limits.maxPixels) {
                    above.height += run.rect.height;
                    nextOpen.push_back(k);
                    extended = true;
                    break;
                }
            }
            if (!extended) {
                out.push_back(run);
                nextOpen.push_back(out.size() - 1);
            }
        }
        open.swap(nextOpen);
    }
    return out;
}

std::vector<std::size_t> tilesOf(const Rect& rect, int tileSize, int columns) {
    std::vector<std::size_t> tiles;
    if (tileSize <= 0 || columns <= 0 || rect.empty()) return tiles;
    for (int y = rect.y; y < rect.bottom(); y += tileSize) {
        for (int x = rect.x; x < rect.right(); x += tileSize) {
            tiles.push_back(static_cast<std::size_t>((y / tileSize) * columns + x / tileSize));
        }
    }
    return tiles;
}

}  // namespace guru
