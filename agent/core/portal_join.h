// Joining a support session from its six-digit code, as the installed agent does for a
// guruconnect://session/NNNNNN link (docs/support.md §4, "Joining from a link"): the
// portal's code check (POST /api/portal/code), then its download, whose signed trailer is
// verified in memory exactly as the one-time agent verifies its own file
// (support::parseTrailer). The downloaded binary is never written anywhere nor run: only
// its trailer's config is used.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/http_client.h"
#include "core/support_config.h"

namespace guru::portal {

/// Why no session config came out of a code.
enum class JoinError : std::uint8_t {
    BadServer,         // the server URL is neither http(s)://HOST… nor ws(s)://…/api/agent/ws
    Network,           // a request failed before a whole response came: see `fetch`
    Refused,           // the server said no, with a message (unknown code, throttled…)
    UnexpectedStatus,  // a status other than 200, without a message: see `status`
    BadResponse,       // the code check's answer is not the portal's JSON with a download path
    BadDownload,       // the download's trailer did not verify: see `trailer`
    WrongSession,      // the verified trailer is for another code than the link's
};

/// Short stable name for an error.
const char* name(JoinError e);

/// A failed join, with what the failing step knows.
struct JoinFailure {
    JoinError error = JoinError::Network;
    http::FetchError fetch;
    int status = 0;
    std::string message;  // the server's, through printableMessage()
    support::TrailerFailure trailer;
};

/// Longest server message shown (longer ones are cut, "..." appended).
inline constexpr std::size_t kMaxMessage = 300;
/// Largest code-check answer read.
inline constexpr std::size_t kMaxCodeResponse = 64 * 1024;
/// Longest download path accepted from the server.
inline constexpr std::size_t kMaxDownloadPath = 1024;
/// The whole code check, and the whole download (at most support::kMaxTrailerFile bytes).
inline constexpr std::chrono::seconds kCodeTimeout{20};
inline constexpr std::chrono::seconds kDownloadTimeout{120};

/// The portal's origin for a server URL as --server or the installed agent has it:
/// http(s)://HOST[:PORT][/prefix] as it is; ws(s)://HOST[:PORT][/prefix]/api/agent/ws with
/// the scheme mapped (wss → https) and the agent path removed. Anything else: BadServer.
Result<http::Origin, JoinError> originFromServer(std::string_view server);

/// The code check's JSON body: {"code":"NNNNNN"}.
std::string codeRequestBody(std::string_view code);

/// Server text made safe for a console: printable ASCII kept, any other character (a
/// control, a UTF-8 sequence) one '?', at most kMaxMessage characters.
std::string printableMessage(std::string_view text);

/// Whether `path` is a download path the portal hands out: "/api/portal/download/…" of
/// URL-safe characters (letters, digits, "-._~/?=&%"), at most kMaxDownloadPath.
bool isDownloadPath(std::string_view path);

/// The code check's response → the download path (200), or Refused with the server's
/// `message` (else its `error`), UnexpectedStatus, or BadResponse.
Result<std::string, JoinFailure> parseCodeResponse(const http::Response& response);

/// Where and how to join.
struct JoinRequest {
    http::Origin origin;
    std::string code;      // six digits (service::parseSessionUrl checked them)
    std::string platform;  // "linux" or "windows": the agent build the server stamps
    platform::TransportOptions transport;  // CA file and pinning; host and port come from origin
    std::string userAgent = "guruconnect-agent";
};

/// The code check, the download (kept in memory, at most support::kMaxTrailerFile bytes)
/// and its trailer check; the verified config of the session the code belongs to, its agent
/// URL on the request's own origin (never another server the trailer might name).
Result<support::SupportConfig, JoinFailure> joinByCode(const ws::Dialer& dial, const JoinRequest& request,
                                                       const std::atomic<bool>* cancel);

}  // namespace guru::portal
