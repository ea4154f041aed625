// Colour-count tile classification with a small fixed-size hash set.
#include "core/tile_classifier.h"

#include <array>
#include <cstring>

namespace guru {

TileContent classifyTile(const ImageView& tile, int limit) {
    // Open addressing, 4x the limit; slot value 0 means empty, so colours are stored | 1<<24.
    constexpr std::size_t kSlots = 2048;
    if (limit <= 0 || static_cast<std::size_t>(limit) * 4 > kSlots) limit = 256;
    std::array<std::uint32_t, kSlots> slots{};
    int distinct = 0;
    std::uint32_t last = 0;
    for (int y = 0; y < tile.height; ++y) {
        const std::byte* row = tile.row(y);
        for (int x = 0; x < tile.width; ++x) {
            std::uint32_t px;
            std::memcpy(&px, row + static_cast<std::size_t>(x) * kBytesPerPixel, 4);
            std::uint32_t key = (px & 0x00FFFFFF) | 0x01000000;
            if (key == last) continue;  // runs are common in UI
            last = key;
            std::size_t h = (key * 2654435761u) & (kSlots - 1);
            while (slots[h] != 0 && slots[h] != key) h = (h + 1) & (kSlots - 1);
            if (slots[h] == 0) {
                slots[h] = key;
                if (++distinct > limit) return TileContent::Photographic;
            }
        }
    }
    return TileContent::FewColours;
}

}  // namespace guru
