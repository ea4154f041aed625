// Server URLs the agent dials: ws://host[:port][/path] or wss://…
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace guru {

/// Why a server URL was refused.
enum class UrlError : std::uint8_t { UnsupportedScheme, MissingHost, BadPort, BadHost };

/// Short stable name for an error.
const char* name(UrlError e);

/// A parsed WebSocket URL.
struct WsUrl {
    bool tls = false;
    std::string host;  // without IPv6 brackets
    std::uint16_t port = 0;
    std::string path = "/";  // path and query, always starting with '/'

    /// The Host header value (brackets for IPv6, port only when not the default).
    std::string hostHeader() const;
};

/// Parses ws:// and wss:// URLs; no user-info, no fragments.
Result<WsUrl, UrlError> parseWsUrl(std::string_view url);

}  // namespace guru
