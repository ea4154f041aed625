// One HTTP/1.1 exchange over a dialed transport (http_client.h).
#include "core/http_client.h"

#include <algorithm>
#include <vector>

#include "core/url.h"

namespace guru::http {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kReadChunk = 64 * 1024;
// Receives wait in short slices so that cancellation is noticed promptly.
constexpr std::chrono::milliseconds kSlice{200};

bool isToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool isVisibleAscii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

bool hasControl(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

FetchError transportError(platform::TransportError e) { return FetchError{HttpError::Transport, e}; }

}  // namespace

std::string Origin::hostHeader() const {
    WsUrl url;
    url.tls = tls;
    url.host = host;
    url.port = port;
    return url.hostHeader();  // the same rule: http and ws share default ports
}

std::string describe(const FetchError& e) {
    if (e.error == HttpError::Transport) return std::string("transport: ") + platform::name(e.transport);
    return std::string("http: ") + name(e.error);
}

Result<std::string, HttpError> buildRequest(const Origin& origin, const Request& request,
                                            std::string_view userAgent) {
    const std::string target = origin.basePath + request.path;
    if (!isToken(request.method) || request.path.empty() || request.path.front() != '/' ||
        target.size() > kMaxPath || !isVisibleAscii(target) || hasControl(origin.hostHeader()) ||
        hasControl(userAgent) || hasControl(request.contentType)) {
        return Failure{HttpError::BadRequest};
    }
    std::string out = request.method + " " + target + " HTTP/1.1\r\n";
    out += "Host: " + origin.hostHeader() + "\r\n";
    out += "User-Agent: " + std::string(userAgent) + "\r\n";
    out += "Accept: */*\r\n";
    if (!request.contentType.empty()) out += "Content-Type: " + request.contentType + "\r\n";
    if (!request.body.empty() || request.method == "POST") {
        out += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
    }
    out += "Connection: close\r\n\r\n";
    out += request.body;
    return out;
}

Result<Response, FetchError> fetch(const ws::Dialer& dial, const Origin& origin, const Request& request,
                                   const platform::TransportOptions& base, const Limits& limits,
                                   std::string_view userAgent, const std::atomic<bool>* cancel) {
    auto bytes = buildRequest(origin, request, userAgent);
    if (!bytes) return Failure{FetchError{bytes.error()}};
    const auto deadline = Clock::now() + limits.timeout;
    platform::TransportOptions options = base;
    options.host = origin.host;
    options.port = origin.port;
    options.tls = origin.tls;
    options.connectTimeout = std::min(options.connectTimeout, limits.timeout);
    auto transport = dial(options, cancel);
    if (!transport) return Failure{transportError(transport.error())};
    if (auto sent = (*transport)->send(asBytes(*bytes)); !sent) return Failure{transportError(sent.error())};

    ResponseParser parser(limits.maxBody);
    std::vector<std::byte> chunk(kReadChunk);
    for (;;) {  // ends by the deadline at the latest
        if (cancel && cancel->load()) return Failure{transportError(platform::TransportError::Interrupted)};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Failure{transportError(platform::TransportError::Timeout)};
        auto n = (*transport)->receive(chunk, std::min(left, kSlice));
        if (!n) {
            if (n.error() == platform::TransportError::Timeout) continue;
            if (n.error() != platform::TransportError::Closed) return Failure{transportError(n.error())};
            if (auto done = parser.finish(); !done) return Failure{FetchError{done.error()}};
            break;
        }
        auto done = parser.feed(ByteView(chunk).first(*n));
        if (!done) return Failure{FetchError{done.error()}};
        if (*done) break;
    }
    return parser.take();
}

}  // namespace guru::http
