// Per-tile encoder selection.
#include "core/encode_manager.h"

namespace guru {

Result<inner::TileUpdate, EncodeError> EncodeManager::encodeTile(const ImageView& frame,
                                                                 const Rect& tile) {
    if (tile.empty() || tile.intersect(frame.bounds()) != tile) {
        return Failure{EncodeError::InvalidImage};
    }
    return encodeRect(frame, tile, classify(frame.sub(tile)));
}

Result<inner::TileUpdate, EncodeError> EncodeManager::encodeRect(const ImageView& frame,
                                                                 const Rect& tile, TileContent content,
                                                                 QualityTier tier) {
    if (tile.empty() || tile.intersect(frame.bounds()) != tile) {
        return Failure{EncodeError::InvalidImage};
    }
    const ImageView pixels = frame.sub(tile);
    inner::TileUpdate update{static_cast<std::uint16_t>(tile.x), static_cast<std::uint16_t>(tile.y),
                             static_cast<std::uint16_t>(tile.width),
                             static_cast<std::uint16_t>(tile.height), inner::TileEncoding::Jpeg,
                             {}};
    Result<Bytes, EncodeError> data = Failure{EncodeError::LibraryFailure};
    if (content != TileContent::FewColours) {
        const TierSettings q = tierSettings(tier, settings_.jpegQuality, settings_.motionJpegQuality);
        data = jpeg_.encode(pixels, content == TileContent::Moving ? q.motionJpegQuality : q.jpegQuality);
    } else if (settings_.lossless == LosslessFormat::Png) {
        update.encoding = inner::TileEncoding::Png;
        data = png_.encode(pixels);
    } else {
        update.encoding = inner::TileEncoding::WebpLossless;
        data = webp_.encode(pixels);
    }
    if (!data) return Failure{data.error()};
    update.data = std::move(*data);
    return update;
}

}  // namespace guru
