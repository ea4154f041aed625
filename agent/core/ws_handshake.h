// The WebSocket opening handshake (RFC 6455 §4): the client's HTTP/1.1 upgrade request
// and the checks on the server's 101 response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "core/result.h"
#include "core/url.h"

namespace guru::ws {

/// Why the server's handshake response was refused.
enum class HandshakeError : std::uint8_t {
    ResponseTooLarge,     // no end of headers within kMaxResponseHeader bytes
    MalformedResponse,    // not an HTTP/1.1 status line and headers
    UnexpectedStatus,     // anything but 101 (e.g. 401, 404, a proxy's 502)
    MissingUpgrade,       // Upgrade: websocket / Connection: upgrade absent
    BadAccept,            // Sec-WebSocket-Accept does not match the key
    UnrequestedExtension, // an extension or subprotocol we did not offer
};

/// Short stable name for an error.
const char* name(HandshakeError e);

/// Largest response header accepted.
inline constexpr std::size_t kMaxResponseHeader = 8192;

/// Standard base64 (with padding).
std::string base64(ByteView data);

/// A Sec-WebSocket-Key: base64 of 16 random bytes from libgcrypt.
std::string randomKey();

/// The Sec-WebSocket-Accept a server must answer for `key` (base64 SHA-1 of key + GUID).
std::string acceptFor(std::string_view key);

/// The GET request that asks the server to upgrade.
std::string upgradeRequest(const WsUrl& url, std::string_view key, std::string_view userAgent);

/// A verified 101 response: how many bytes it took (any rest is frame data).
struct HandshakeResponse {
    std::size_t headerLength = 0;
    int status = 0;
};

/// Checks the response received so far: nothing while the headers are incomplete.
Result<std::optional<HandshakeResponse>, HandshakeError> parseUpgradeResponse(ByteView received,
                                                                              std::string_view key);

}  // namespace guru::ws
