// A minimal HTTP/1.1 client over a platform Transport (the one the WebSocket client dials):
// one request per connection ("Connection: close"), the response read with
// http::ResponseParser under a size limit and one deadline for the whole exchange. Used for
// the support portal's code check and download (core/portal_join.h); no OS headers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/http_response.h"
#include "core/ws_client.h"
#include "platform/transport.h"

namespace guru::http {

/// Where requests go: the TCP/TLS endpoint, the Host header, and a path prefix (a server
/// behind a reverse proxy under /prefix) put before every request path.
struct Origin {
    bool tls = false;
    std::string host;  // without IPv6 brackets
    std::uint16_t port = 0;
    std::string basePath;  // "" or "/prefix", never ending in '/'

    /// The Host header value (brackets for IPv6, the port only when not the default).
    std::string hostHeader() const;
};

/// One request: the path is appended to the origin's basePath.
struct Request {
    std::string method = "GET";
    std::string path = "/";  // origin-form: starts with '/', visible ASCII only
    std::string contentType;  // with a body
    std::string body;
};

/// What a fetch may take.
struct Limits {
    std::size_t maxBody = 1024 * 1024;
    /// For everything: connect, TLS, sending and receiving the whole response.
    std::chrono::milliseconds timeout{15000};
};

/// Why a fetch failed: an HTTP error, or (HttpError::Transport) the transport's.
struct FetchError {
    HttpError error = HttpError::Transport;
    platform::TransportError transport = platform::TransportError::SystemError;
};

/// A readable one-line description for logs ("transport: ConnectFailed", "http: Truncated").
std::string describe(const FetchError& e);

/// Longest request path accepted.
inline constexpr std::size_t kMaxPath = 2048;

/// The request bytes: request line, Host, User-Agent, Content-Type and Content-Length when
/// there is a body (Content-Length: 0 for a POST without one), "Connection: close".
/// BadRequest for a method that is not a token, a path that is not origin-form visible
/// ASCII (or longer than kMaxPath), or a header value with a control character.
Result<std::string, HttpError> buildRequest(const Origin& origin, const Request& request,
                                            std::string_view userAgent);

/// Dials `origin` (CA file and TLS policy from `base`), sends `request` and reads the whole
/// response, whatever its status. The connection is closed before returning. A set `cancel`
/// flag ends it within a fraction of a second (Transport: Interrupted).
Result<Response, FetchError> fetch(const ws::Dialer& dial, const Origin& origin, const Request& request,
                                   const platform::TransportOptions& base, const Limits& limits,
                                   std::string_view userAgent, const std::atomic<bool>* cancel);

}  // namespace guru::http
