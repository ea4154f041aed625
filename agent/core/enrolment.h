// Enrolment: at the first start of an unattended agent (no stored configuration), trade the
// enrolment token for the agent's own id and credential (FLEET-CONTRACT.md, "Enrolment"):
//   POST <server>/api/agent/enrol  {"token":"…","hostname":"…","metadata":{…}}
//   → 201 {"agentId":"<32 hex>","credential":"…","server":"wss://…/api/agent/ws"}
//   → 401 {"error":{"code":"enrolment_refused","message":"…"}}
// The token is used for this request only and never stored.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/backoff.h"
#include "core/http_client.h"
#include "core/log.h"
#include "core/machine_metadata.h"
#include "core/stored_agent_config.h"

namespace guru::unattended {

/// What the agent sends.
struct EnrolRequest {
    std::string server;  // http(s)://host[:port][/prefix] (or the ws(s) agent URL)
    std::string token;
    std::string hostname;
    inventory::MachineMetadata metadata;
    platform::TransportOptions transport;  // CA file and pinning
    std::string userAgent = "guruconnect-agent";
};

/// What the server gave back.
struct Enrolled {
    std::string agentId;     // 32 hex digits, lower case
    std::string credential;
    std::string server;      // the agent WebSocket URL to connect to
};

/// Why enrolment failed.
enum class EnrolError : std::uint8_t {
    BadServer,         // the server URL is not http(s)://… nor ws(s)://…/api/agent/ws
    Network,           // no whole response: see `fetch`
    Refused,           // 401/403: the token is expired, used up, revoked or unknown
    Throttled,         // 429: too many attempts from this address
    NotFound,          // 404: the server has no enrolment endpoint (too old)
    ServerError,       // 5xx
    UnexpectedStatus,  // any other status
    BadResponse,       // a 201 whose JSON is not the contract's
};

/// Short stable name for an error.
const char* name(EnrolError e);

/// A failed attempt and what it knows.
struct EnrolFailure {
    EnrolError error = EnrolError::Network;
    http::FetchError fetch;
    int status = 0;
    std::string message;  // the server's, printable ASCII (portal::printableMessage)
};

/// One line for the log: what failed and what to do about it.
std::string describe(const EnrolFailure& failure);

/// Whether trying again later may help (network, throttling, a server error); a refused
/// token, a missing endpoint or a malformed answer will not get better.
bool retryable(const EnrolFailure& failure);

/// The request body.
std::string enrolRequestBody(std::string_view token, std::string_view hostname,
                             const inventory::MachineMetadata& metadata);

/// The server's answer → the agent's id, credential and agent URL (the answer's "server"
/// when it is a ws(s):// URL, else the agent path on `origin`, where the request went).
Result<Enrolled, EnrolFailure> parseEnrolResponse(const http::Response& response, const http::Origin& origin);

/// Largest answer read, and the time one attempt may take.
inline constexpr std::size_t kMaxEnrolResponse = 64 * 1024;
inline constexpr std::chrono::seconds kEnrolTimeout{30};

/// One attempt.
Result<Enrolled, EnrolFailure> enrolOnce(const ws::Dialer& dial, const EnrolRequest& request,
                                         const std::atomic<bool>* cancel);

/// How enrolOnce is retried.
struct EnrolRetry {
    /// Attempts before giving up on retryable failures (0: until cancelled).
    std::uint32_t maxAttempts = 0;
    BackoffPolicy backoff{std::chrono::milliseconds(1000), 2.0, std::chrono::milliseconds(300000),
                          std::chrono::milliseconds(30000), 5, std::chrono::milliseconds(0)};
    /// Waits `delay` unless cancelled first; false when cancelled (tests: no real sleep).
    std::function<bool(std::chrono::milliseconds delay)> wait;
};

/// enrolOnce until it succeeds, fails for good, `retry.maxAttempts` is reached or `wait`
/// reports a cancel; every failure is logged with the delay before the next attempt.
Result<Enrolled, EnrolFailure> enrolWithRetry(const std::function<Result<Enrolled, EnrolFailure>()>& attempt,
                                              const EnrolRetry& retry, const LogSink& log);

}  // namespace guru::unattended
