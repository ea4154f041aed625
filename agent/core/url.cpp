// WebSocket URL parsing.
#include "core/url.h"

#include <algorithm>
#include <cctype>

namespace guru {

const char* name(UrlError e) {
    switch (e) {
        case UrlError::UnsupportedScheme: return "UnsupportedScheme";
        case UrlError::MissingHost: return "MissingHost";
        case UrlError::BadPort: return "BadPort";
        case UrlError::BadHost: return "BadHost";
    }
    return "?";
}

std::string WsUrl::hostHeader() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
    return h;
}

Result<WsUrl, UrlError> parseWsUrl(std::string_view url) {
    WsUrl out;
    auto startsWith = [&](std::string_view prefix) {
        return url.size() >= prefix.size() &&
               std::equal(prefix.begin(), prefix.end(), url.begin(), [](char a, char b) {
                   return a == std::tolower(static_cast<unsigned char>(b));
               });
    };
    if (startsWith("wss://")) {
        out.tls = true;
        url.remove_prefix(6);
    } else if (startsWith("ws://")) {
        url.remove_prefix(5);
    } else {
        return Failure{UrlError::UnsupportedScheme};
    }
    const auto slash = url.find_first_of("/?#");
    std::string_view authority = url.substr(0, slash);
    std::string_view rest = slash == std::string_view::npos ? "" : url.substr(slash);
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    if (authority.find('@') != std::string_view::npos) return Failure{UrlError::BadHost};

    std::string_view portText;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return Failure{UrlError::BadHost};
        out.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return Failure{UrlError::BadHost};
            portText = after.substr(1);
            if (portText.empty()) return Failure{UrlError::BadPort};
        }
    } else {
        const auto colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            portText = authority.substr(colon + 1);
            if (portText.empty()) return Failure{UrlError::BadPort};
        }
    }
    if (out.host.empty()) return Failure{UrlError::MissingHost};
    for (char c : out.host) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '\\') {
            return Failure{UrlError::BadHost};
        }
    }
    out.port = out.tls ? 443 : 80;
    if (!portText.empty()) {
        if (portText.size() > 5) return Failure{UrlError::BadPort};
        unsigned value = 0;
        for (char c : portText) {
            if (c < '0' || c > '9') return Failure{UrlError::BadPort};
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value == 0 || value > 65535) return Failure{UrlError::BadPort};
        out.port = static_cast<std::uint16_t>(value);
    }
    if (rest.empty()) {
        out.path = "/";
    } else if (rest.front() == '?') {
        out.path = "/" + std::string(rest);
    } else {
        out.path = std::string(rest);
    }
    for (char c : out.path) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return Failure{UrlError::BadHost};
    }
    return out;
}

}  // namespace guru
