// libFuzzer target: the support trailer parser (docs/support.md §4) must never crash,
// over-read or throw on any file tail; an accepted config must satisfy every field rule.
#include <cstdint>
#include <cstdlib>

#include "core/support_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace guru::support;
    guru::ByteView input(reinterpret_cast<const std::byte*>(data), size);
    auto parsed = parseTrailer(input);
    if (parsed) {
        if (parsed->sessionHex.size() != 32 || parsed->code.size() != 6 || parsed->secret.empty() ||
            parsed->secret.size() > kMaxSecret || parsed->agentUrl.host.empty()) {
            std::abort();
        }
    }
    // The same bytes as a bare config JSON, and wrapped in a trailer.
    auto json = parseConfigJson(guru::toString(input));
    auto wrapped = parseTrailer(makeTrailer(guru::toString(input)));
    if (json.ok() != wrapped.ok()) std::abort();
    return 0;
}
