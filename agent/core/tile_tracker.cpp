// Tile change tracking; see tile_tracker.h.
#include "core/tile_tracker.h"

#include <cstring>

namespace guru {

void TileTracker::resize(int width, int height) {
    if (width == image_.width() && height == image_.height()) return;
    image_ = Image(std::max(width, 0), std::max(height, 0));
    columns_ = (image_.width() + tileSize_ - 1) / tileSize_;
    rows_ = (image_.height() + tileSize_ - 1) / tileSize_;
    changed_.assign(static_cast<std::size_t>(columns_) * rows_, true);
}

void TileTracker::markAll() { changed_.assign(changed_.size(), true); }

// Whether `pixels` (covering `at`) differs from the image within `area` (inside `at`).
bool TileTracker::differs(const Rect& area, const ImageView& pixels, const Rect& at) const {
    const ImageView current = image_.view();
    const std::size_t rowBytes = static_cast<std::size_t>(area.width) * kBytesPerPixel;
    for (int y = area.y; y < area.bottom(); ++y) {
        const std::byte* fresh =
            pixels.row(y - at.y) + static_cast<std::size_t>(area.x - at.x) * kBytesPerPixel;
        const std::byte* old = current.row(y) + static_cast<std::size_t>(area.x) * kBytesPerPixel;
        if (std::memcmp(fresh, old, rowBytes) != 0) return true;
    }
    return false;
}

void TileTracker::apply(const Rect& at, const ImageView& pixels) {
    if (pixels.width != at.width || pixels.height != at.height) return;
    const Rect clipped = at.intersect(image_.view().bounds());
    if (clipped.empty()) return;
    for (int ty = clipped.y / tileSize_; ty <= (clipped.bottom() - 1) / tileSize_; ++ty) {
        for (int tx = clipped.x / tileSize_; tx <= (clipped.right() - 1) / tileSize_; ++tx) {
            std::vector<bool>::reference flag =
                changed_[static_cast<std::size_t>(ty) * columns_ + tx];
            if (flag) continue;
            Rect tile{tx * tileSize_, ty * tileSize_, tileSize_, tileSize_};
            if (differs(tile.intersect(clipped), pixels, at)) flag = true;
        }
    }
    const std::size_t rowBytes = static_cast<std::size_t>(clipped.width) * kBytesPerPixel;
    for (int y = clipped.y; y < clipped.bottom(); ++y) {
        std::memcpy(image_.data() + static_cast<std::size_t>(y) * image_.stride() +
                        static_cast<std::size_t>(clipped.x) * kBytesPerPixel,
                    pixels.row(y - at.y) + static_cast<std::size_t>(clipped.x - at.x) * kBytesPerPixel,
                    rowBytes);
    }
}

std::vector<Rect> TileTracker::takeChanged() {
    std::vector<Rect> tiles;
    for (int ty = 0; ty < rows_; ++ty) {
        for (int tx = 0; tx < columns_; ++tx) {
            std::vector<bool>::reference flag =
                changed_[static_cast<std::size_t>(ty) * columns_ + tx];
            if (!flag) continue;
            flag = false;
            tiles.push_back(Rect{tx * tileSize_, ty * tileSize_, tileSize_, tileSize_}.intersect(
                image_.view().bounds()));
        }
    }
    return tiles;
}

}  // namespace guru
