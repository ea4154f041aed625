// Decides whether a tile looks like text/UI (few colours: lossless) or a photo (JPEG).
#pragma once

#include "core/image.h"

namespace guru {

/// Content class of a tile, used to pick its encoder.
enum class TileContent : std::uint8_t { FewColours, Photographic };

/// Counts distinct colours up to `limit`; more than `limit` means photographic.
TileContent classifyTile(const ImageView& tile, int limit = 256);

}  // namespace guru
