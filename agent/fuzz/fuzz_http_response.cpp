// libFuzzer target: the HTTP/1.1 response parser (core/http_response.h) must never crash,
// over-read or grow past its limits on any bytes, and must reach the same verdict whether a
// response arrives in one read or in many small ones.
#include <cstdint>
#include <cstdlib>

#include "core/http_response.h"

namespace {

constexpr std::size_t kMaxBody = 4096;

struct Verdict {
    bool ok = false;
    guru::http::HttpError error = guru::http::HttpError::Truncated;
    guru::http::Response response;
};

// Feeds `input` in pieces of `step` bytes, then finishes (the peer closed).
Verdict parse(guru::ByteView input, std::size_t step) {
    guru::http::ResponseParser parser(kMaxBody);
    Verdict v;
    for (std::size_t at = 0; at < input.size(); at += step) {
        auto done = parser.feed(input.subspan(at, std::min(step, input.size() - at)));
        if (!done) {
            v.error = done.error();
            return v;
        }
        if (*done) break;
    }
    if (auto finished = parser.finish(); !finished) {
        v.error = finished.error();
        return v;
    }
    v.ok = true;
    v.response = parser.take();
    return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = 1 + data[0] % 16;  // the first byte picks the split
    guru::ByteView input(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
    const Verdict whole = parse(input, input.size() + 1);
    const Verdict split = parse(input, step);
    if (whole.ok != split.ok) std::abort();
    if (!whole.ok) {
        if (whole.error != split.error) std::abort();
        return 0;
    }
    const auto& r = whole.response;
    if (r.status < 200 || r.status > 599 || r.body.size() > kMaxBody || r.body != split.response.body ||
        r.headers != split.response.headers) {
        std::abort();
    }
    return 0;
}
