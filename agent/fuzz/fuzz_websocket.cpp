// libFuzzer target: the WebSocket frame decoder must never crash, over-read or buffer past
// its message limit, however the bytes are split.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "core/ws_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace guru::ws;
    guru::ByteView input(reinterpret_cast<const std::byte*>(data), size);
    constexpr std::size_t kLimit = 4096;
    FrameDecoder decoder(kLimit);
    std::size_t chunk = size > 0 ? (data[0] % 23) + 1 : 1;
    for (std::size_t i = 0; i < size; i += chunk) {
        decoder.feed(input.subspan(i, std::min(chunk, size - i)));
        for (;;) {
            auto event = decoder.next();
            if (!event || !*event) break;
            if ((*event)->payload.size() > kLimit) std::abort();
        }
    }
    return 0;
}
