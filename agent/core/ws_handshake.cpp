// WebSocket opening handshake: request building and response verification.
#include "core/ws_handshake.h"

#include <gcrypt.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/gcrypt_handles.h"

namespace guru::ws {

const char* name(HandshakeError e) {
    switch (e) {
        case HandshakeError::ResponseTooLarge: return "ResponseTooLarge";
        case HandshakeError::MalformedResponse: return "MalformedResponse";
        case HandshakeError::UnexpectedStatus: return "UnexpectedStatus";
        case HandshakeError::MissingUpgrade: return "MissingUpgrade";
        case HandshakeError::BadAccept: return "BadAccept";
        case HandshakeError::UnrequestedExtension: return "UnrequestedExtension";
    }
    return "?";
}

std::string base64(ByteView data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const unsigned v = (static_cast<unsigned>(data[i]) << 16) |
                           (static_cast<unsigned>(data[i + 1]) << 8) |
                           static_cast<unsigned>(data[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    const std::size_t left = data.size() - i;
    if (left > 0) {
        unsigned v = static_cast<unsigned>(data[i]) << 16;
        if (left == 2) v |= static_cast<unsigned>(data[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += left == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string randomKey() {
    std::array<std::byte, 16> nonce{};
    crypto::ensureInitialised();
    gcry_randomize(nonce.data(), nonce.size(), GCRY_STRONG_RANDOM);
    return base64(nonce);
}

std::string acceptFor(std::string_view key) {
    static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::string input(key);
    input += kGuid;
    std::array<std::byte, 20> digest{};
    crypto::ensureInitialised();
    gcry_md_hash_buffer(GCRY_MD_SHA1, digest.data(), input.data(), input.size());
    return base64(digest);
}

std::string upgradeRequest(const WsUrl& url, std::string_view key, std::string_view userAgent) {
    std::string r;
    r.reserve(256);
    r += "GET " + url.path + " HTTP/1.1\r\n";
    r += "Host: " + url.hostHeader() + "\r\n";
    r += "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    r += "Sec-WebSocket-Key: ";
    r += key;
    r += "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: ";
    r += userAgent;
    r += "\r\n\r\n";
    return r;
}

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// True when the comma-separated header value lists `token` (case-insensitive).
bool listsToken(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (lower(trim(value.substr(0, comma))) == token) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

Result<std::optional<HandshakeResponse>, HandshakeError> parseUpgradeResponse(ByteView received,
                                                                              std::string_view key) {
    const std::string_view text(reinterpret_cast<const char*>(received.data()), received.size());
    const auto end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (received.size() > kMaxResponseHeader) return Failure{HandshakeError::ResponseTooLarge};
        return std::optional<HandshakeResponse>{};
    }
    if (end + 4 > kMaxResponseHeader) return Failure{HandshakeError::ResponseTooLarge};
    std::string_view head = text.substr(0, end + 2);  // every line ends with CRLF

    const auto firstEnd = head.find("\r\n");
    const std::string_view statusLine = head.substr(0, firstEnd);
    head.remove_prefix(firstEnd + 2);
    // "HTTP/1.1 101 Switching Protocols"
    if (statusLine.size() < 12 || statusLine.substr(0, 9) != "HTTP/1.1 " ||
        !std::isdigit(static_cast<unsigned char>(statusLine[9])) ||
        !std::isdigit(static_cast<unsigned char>(statusLine[10])) ||
        !std::isdigit(static_cast<unsigned char>(statusLine[11])) ||
        (statusLine.size() > 12 && statusLine[12] != ' ')) {
        return Failure{HandshakeError::MalformedResponse};
    }
    const int status = (statusLine[9] - '0') * 100 + (statusLine[10] - '0') * 10 + (statusLine[11] - '0');
    if (status != 101) return Failure{HandshakeError::UnexpectedStatus};

    bool upgrade = false, connection = false, accepted = false;
    const std::string expected = acceptFor(key);
    while (!head.empty()) {
        const auto lineEnd = head.find("\r\n");
        const std::string_view line = head.substr(0, lineEnd);
        head.remove_prefix(lineEnd + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return Failure{HandshakeError::MalformedResponse};
        const std::string field = lower(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (field == "upgrade") {
            upgrade = lower(value) == "websocket";
        } else if (field == "connection") {
            connection = listsToken(value, "upgrade");
        } else if (field == "sec-websocket-accept") {
            if (value != expected) return Failure{HandshakeError::BadAccept};
            accepted = true;
        } else if (field == "sec-websocket-extensions" || field == "sec-websocket-protocol") {
            if (!value.empty()) return Failure{HandshakeError::UnrequestedExtension};
        }
    }
    if (!upgrade || !connection) return Failure{HandshakeError::MissingUpgrade};
    if (!accepted) return Failure{HandshakeError::BadAccept};
    return std::optional<HandshakeResponse>{HandshakeResponse{end + 4, status}};
}

}  // namespace guru::ws
