// libFuzzer target: the envelope parser, whole-frame and streaming, must never crash,
// over-read or allocate from an unchecked length; decoded frames must re-encode identically.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "core/envelope.h"
#include "core/envelope_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace guru::envelope;
    guru::ByteView input(reinterpret_cast<const std::byte*>(data), size);
    auto decoded = decodeFrame(input);
    if (decoded) {
        auto again = encodeFrame(*decoded);
        if (!again || guru::ByteView(*again).size() != size ||
            !std::equal(again->begin(), again->end(), input.begin())) {
            std::abort();  // decode/encode must be a bijection on valid frames
        }
    }
    StreamDecoder stream;
    std::size_t chunk = size > 0 ? (data[0] % 17) + 1 : 1;
    for (std::size_t i = 0; i < size; i += chunk) {
        if (!stream.feed(input.subspan(i, std::min(chunk, size - i)))) break;
        while (auto m = stream.next()) {
            if (!m->ok()) break;
        }
    }
    return 0;
}
