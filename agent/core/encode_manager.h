// Picks an encoder per tile by content (cf. TigerVNC's EncodeManager) and builds TileUpdates.
#pragma once

#include "core/inner_message.h"
#include "core/jpeg_encoder.h"
#include "core/link_quality.h"
#include "core/png_encoder.h"
#include "core/tile_classifier.h"
#include "core/webp_lossless_encoder.h"

namespace guru {

/// Which lossless format few-colour tiles use.
enum class LosslessFormat : std::uint8_t { Png, WebpLossless };

/// Encoder choice and quality knobs. Defaults follow bench/agent_footprint.sh: on a
/// 1080p half-UI frame, WebP-lossless tiles were 30% smaller than PNG and no slower.
struct EncodeSettings {
    int jpegQuality = 80;
    int paletteLimit = 256;
#ifdef GURU_NO_WEBP  // builds without libwebp (Windows: WIC cannot write WebP)
    LosslessFormat lossless = LosslessFormat::Png;
#else
    LosslessFormat lossless = LosslessFormat::WebpLossless;
#endif
    /// JPEG quality of Moving regions: each picture is on screen for a frame or so.
    int motionJpegQuality = 55;
};

/// Turns changed tiles of a frame into TileUpdate messages.
class EncodeManager {
public:
    explicit EncodeManager(EncodeSettings settings = {}) : settings_(settings) {}

    /// Encodes one tile (which must lie inside `frame`), choosing the encoder by its content.
    Result<inner::TileUpdate, EncodeError> encodeTile(const ImageView& frame, const Rect& tile);
    /// Encodes `rect` (inside `frame`) as already classified: JPEG if photographic (at the
    /// motion quality if Moving), else the lossless format. A lossless refinement passes
    /// FewColours for any content. `tier` lowers the JPEG quality for slow links.
    Result<inner::TileUpdate, EncodeError> encodeRect(const ImageView& frame, const Rect& rect,
                                                      TileContent content,
                                                      QualityTier tier = QualityTier::Full);
    /// The classifier with these settings' palette limit.
    TileContent classify(const ImageView& pixels) const { return classifyTile(pixels, settings_.paletteLimit); }

private:
    EncodeSettings settings_;
    JpegEncoder jpeg_;
    PngEncoder png_;
    WebpLosslessEncoder webp_;
};

}  // namespace guru
