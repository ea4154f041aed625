// The trailer key slot's single definition and the search for it (trailer_key_slot.h).
#include "core/trailer_key_slot.h"

#include <algorithm>

// The one copy of the magic in the binary; the server finds it and writes its key after it.
extern "C" const volatile unsigned char guru_trailer_key_slot[40] = {
    'G', 'C', 'K', 'E', 'Y', '0', '0', '1',
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

namespace guru::support {

std::array<std::byte, kKeySlotMagicSize> keySlotMagic() {
    std::array<std::byte, kKeySlotMagicSize> magic{};
    for (std::size_t i = 0; i < magic.size(); ++i) magic[i] = std::byte{guru_trailer_key_slot[i]};
    return magic;
}

Result<PublicKey, KeySlotError> findKeySlot(ByteView binary) {
    const auto magic = keySlotMagic();
    if (binary.size() < kKeySlotSize) return Failure{KeySlotError::Missing};
    // Every start that leaves room for a whole slot.
    const ByteView starts = binary.first(binary.size() - kPublicKeySize);
    std::size_t found = 0;
    std::size_t at = 0;
    auto from = starts.begin();
    while (true) {
        auto hit = std::search(from, starts.end(), magic.begin(), magic.end());
        if (hit == starts.end()) break;  // a match lies wholly inside `starts`: a whole slot
        if (++found > 1) return Failure{KeySlotError::Ambiguous};
        at = static_cast<std::size_t>(hit - binary.begin());
        from = hit + 1;
    }
    if (found == 0) return Failure{KeySlotError::Missing};
    PublicKey key{};
    const ByteView stored = binary.subspan(at + kKeySlotMagicSize, kPublicKeySize);
    std::copy(stored.begin(), stored.end(), key.begin());
    return key;
}

bool isUnstamped(const PublicKey& key) {
    return std::all_of(key.begin(), key.end(), [](std::byte b) { return b == std::byte{0}; });
}

}  // namespace guru::support
