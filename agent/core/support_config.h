// The one-time support agent's configuration, read from a signed trailer appended to the
// agent binary (docs/support.md §4):
//   <agent binary, key slot stamped> <config JSON, UTF-8> <64-byte Ed25519 signature>
//   <u32 little-endian JSON length> "GCSUPP02"
// The signature covers kSignedPrefix + JSON and is checked, with the key in the binary's one
// key slot (trailer_key_slot.h), before any of the JSON is trusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "core/envelope.h"
#include "core/result.h"
#include "core/trailer_key_slot.h"
#include "core/trailer_signature.h"
#include "core/url.h"

namespace guru::support {

/// The 8 bytes that end every trailer.
inline constexpr std::string_view kTrailerMagic = "GCSUPP02";
/// The magic of the unsigned first version, refused with its own error.
inline constexpr std::string_view kOldTrailerMagic = "GCSUPP01";
/// What the signature covers before the JSON (domain separation: magic and a NUL).
inline constexpr std::string_view kSignedPrefix{"GCSUPP02\0", 9};
/// Largest config JSON accepted, checked from the length field before anything is read.
inline constexpr std::size_t kMaxConfigJson = 16 * 1024;
/// Bytes after the JSON: the signature, the u32 length and the magic.
inline constexpr std::size_t kTrailerFooter = kSignatureSize + 4 + kTrailerMagic.size();
/// Largest file read whole to check its trailer (ASan builds of the agent are ~72 MB with their
/// debug information; a release build is ~2 MB).
inline constexpr std::size_t kMaxTrailerFile = 128 * 1024 * 1024;
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
    OldVersion,     // an unsigned GCSUPP01 trailer from an older server
    TooLarge,       // the file is larger than kMaxTrailerFile
    KeySlotMissing, // the binary before the trailer has no key slot
    KeySlotAmbiguous,  // ... or more than one
    Unsigned,       // the slot holds no key: a stock binary with a trailer nobody signed
    BadSignature,   // the signature does not match the JSON under the slot's key
    CryptoUnavailable,  // libgcrypt could not be initialised to check the signature
};

/// Short stable name for an error.
const char* name(TrailerError e);

/// One sentence for the log: what the error means for the person running the agent.
const char* explain(TrailerError e);

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

/// Checks the trailer at the end of `file` (footer, the key slot before the JSON, the
/// signature under its key) and returns the signed JSON text, not yet parsed: what every
/// trailer mode (support, unattended: core/agent_trailer.h) parses. Never reads outside the span.
Result<std::string, TrailerFailure> verifiedTrailerJson(ByteView file);

/// Reads `path` as readTrailer does and returns its verified JSON text (verifiedTrailerJson).
Result<std::string, TrailerFailure> readVerifiedTrailerJson(const std::string& path);

/// Checks and parses the trailer at the end of `file`, the whole file that carries it: the
/// key slot is looked for in the bytes before the JSON, the signature checked with its key,
/// and only then is the JSON parsed. Never reads outside the span.
Result<SupportConfig, TrailerFailure> parseTrailer(ByteView file);

/// Validates the config JSON alone.
Result<SupportConfig, TrailerFailure> parseConfigJson(std::string_view json);

/// Reads `path` and parses its trailer. Only the last bytes are read when there is no trailer
/// (every start of an ordinary agent); the whole file, at most kMaxTrailerFile, when there is.
Result<SupportConfig, TrailerFailure> readTrailer(const std::string& path);

/// The agent WebSocket URL for a server base URL: http → ws, https → wss, path prefix kept,
/// "/api/agent/ws" appended. ws(s):// URLs are taken as they are ("/" becomes the default path).
Result<WsUrl, UrlError> agentUrlFromServer(std::string_view server);

/// The bytes the signature covers: kSignedPrefix followed by the JSON.
Bytes signedMessage(std::string_view json);

/// The trailer bytes for `json` and its `signature`, to append to a stamped agent binary
/// (tests and tools; the server builds its own).
Bytes makeTrailer(std::string_view json, ByteView signature);

}  // namespace guru::support
