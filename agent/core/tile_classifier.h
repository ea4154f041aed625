// Decides whether a tile looks like text/UI (few colours: lossless) or a photo (JPEG).
#pragma once

#include "core/image.h"

namespace guru {

/// Content class of a tile, used to pick its encoder. The classifier answers FewColours or
/// Photographic; the session marks photographic tiles that keep changing as Moving, which
/// go out as JPEG at a lower quality (they are refined losslessly once they stop).
enum class TileContent : std::uint8_t { FewColours, Photographic, Moving };

/// Counts distinct colours up to `limit`; more than `limit` means photographic.
TileContent classifyTile(const ImageView& tile, int limit = 256);

}  // namespace guru
