// The one-time support agent's configuration, read from a trailer appended to the agent
// binary (docs/support.md §4):
//   <agent binary> <config JSON, UTF-8> <u32 little-endian JSON length> "GCSUPP01"
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "core/envelope.h"
#include "core/result.h"
#include "core/url.h"

namespace guru::support {

/// The 8 bytes that end every trailer.
inline constexpr std::string_view kTrailerMagic = "GCSUPP01";
/// Largest config JSON accepted, checked from the length field before anything is read.
inline constexpr std::size_t kMaxConfigJson = 16 * 1024;
/// Bytes after the JSON: the u32 length and the magic.
inline constexpr std::size_t kTrailerFooter = 4 + kTrailerMagic.size();
/// Reading this many bytes from the end of a file is enough to hold any valid trailer.
inline constexpr std::size_t kMaxTrailerSize = kMaxConfigJson + kTrailerFooter;
/// Limits of the JSON fields.
inline constexpr std::size_t kMaxSecret = envelope::kMaxTokenSize;
inline constexpr std::size_t kMaxCompanyChars = 200;

/// Why no usable configuration came out of a trailer.
enum class TrailerError : std::uint8_t {
    NotPresent,     // no magic at the end: an ordinary agent binary
    BadLength,      // JSON length 0 or above kMaxConfigJson
    Truncated,      // the length points before the start of the data
    MalformedJson,  // not JSON (or not UTF-8), or not an object
    MissingField,   // a required key is absent
    InvalidField,   // a key has the wrong type or an out-of-range value
    Unreadable,     // the file could not be opened or read
};

/// Short stable name for an error.
const char* name(TrailerError e);

/// Which trailer check failed; `field` names the JSON key for Missing/InvalidField.
struct TrailerFailure {
    TrailerError error = TrailerError::NotPresent;
    std::string_view field;
};

/// A validated support configuration.
struct SupportConfig {
    std::string serverBase;  // as in the trailer: http(s)://host[:port] (or ws(s)://…)
    WsUrl agentUrl;          // ws(s)://host:port/api/agent/ws, derived from serverBase
    envelope::Id128 sessionId{};
    std::string sessionHex;  // the 32 hex digits, lower case
    std::string secret;      // sent as the AgentHello credential
    std::string code;        // the six-digit support code
    std::string company;     // shown in the consent prompt (may be empty)
    bool consentRequired = true;
};

/// Parses the trailer at the end of `fileTail` (the last bytes of a file, up to
/// kMaxTrailerSize of them, or the whole file if shorter). Never reads outside the span.
Result<SupportConfig, TrailerFailure> parseTrailer(ByteView fileTail);

/// Validates the config JSON alone.
Result<SupportConfig, TrailerFailure> parseConfigJson(std::string_view json);

/// Reads the last kMaxTrailerSize bytes of `path` and parses them.
Result<SupportConfig, TrailerFailure> readTrailer(const std::string& path);

/// The agent WebSocket URL for a server base URL: http → ws, https → wss, path prefix kept,
/// "/api/agent/ws" appended. ws(s):// URLs are taken as they are ("/" becomes the default path).
Result<WsUrl, UrlError> agentUrlFromServer(std::string_view server);

/// The trailer bytes for `json`, to append to an agent binary (tests and tools).
Bytes makeTrailer(std::string_view json);

}  // namespace guru::support
