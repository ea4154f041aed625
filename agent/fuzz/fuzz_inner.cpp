// libFuzzer target: the inner (E2E plaintext) message parser; decoded messages must
// re-encode to the same bytes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "core/inner_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    guru::ByteView input(reinterpret_cast<const std::byte*>(data), size);
    auto decoded = guru::inner::decode(input);
    if (decoded) {
        auto again = guru::inner::encode(*decoded);
        if (!again || again->size() != size ||
            !std::equal(again->begin(), again->end(), input.begin())) {
            std::abort();
        }
    }
    return 0;
}
