// The desktop image the session encodes from, and which fixed-size tiles of it really
// changed (cf. TigerVNC's ComparingUpdateTracker). Capturers write regions into it; each
// write is compared with what was there, so damage that changed nothing sends nothing.
// Holding the only full-frame copy here keeps a session near one frame of memory.
#pragma once

#include <vector>

#include "core/image.h"

namespace guru {

/// Owns the current desktop image and a changed-flag per tile.
class TileTracker {
public:
    explicit TileTracker(int tileSize = 64) : tileSize_(tileSize) {}

    /// Sets the desktop size. A different size clears the image and marks every tile.
    void resize(int width, int height);
    /// Copies `pixels` (exactly `at`'s size) into the image at `at`, marking the tiles
    /// whose bytes differ. Parts of `at` outside the image are ignored.
    void apply(const Rect& at, const ImageView& pixels);
    /// Marks every tile changed (a new viewer, or a refresh request).
    void markAll();
    /// The changed tiles (clipped to the image) in row-major order; clears the marks.
    std::vector<Rect> takeChanged();

    /// The current image; valid until the next resize.
    ImageView image() const { return image_.view(); }
    int tileSize() const { return tileSize_; }

private:
    bool differs(const Rect& area, const ImageView& pixels, const Rect& at) const;

    int tileSize_;
    int columns_ = 0;
    int rows_ = 0;
    Image image_;
    std::vector<bool> changed_;
};

}  // namespace guru
