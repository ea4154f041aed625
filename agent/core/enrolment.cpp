// Enrolment request, answer and retries (enrolment.h).
#include "core/enrolment.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

#include "core/envelope.h"
#include "core/portal_join.h"
#include "core/url.h"

namespace guru::unattended {
namespace {

using nlohmann::json;
using Fail = Failure<EnrolFailure>;

constexpr std::string_view kAgentPath = "/api/agent/ws";

Fail fail(EnrolError e, int status = 0, std::string message = {}) {
    EnrolFailure f;
    f.error = e;
    f.status = status;
    f.message = std::move(message);
    return Fail{f};
}

// The server's message: {"error":{"message":…}} (the API's error shape), else a top-level
// "message" or a string "error".
std::string serverMessage(const http::Response& response) {
    const json doc = json::parse(response.body.begin(), response.body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return {};
    const json* holder = &doc;
    if (auto error = doc.find("error"); error != doc.end()) {
        if (error->is_string()) return portal::printableMessage(error->get_ref<const std::string&>());
        if (error->is_object()) holder = &*error;
    }
    if (auto message = holder->find("message"); message != holder->end() && message->is_string()) {
        return portal::printableMessage(message->get_ref<const std::string&>());
    }
    return {};
}

std::string lowerHex32(std::string_view s) {
    if (s.size() != 32) return {};
    std::string out;
    for (char c : s) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
        out += c;
    }
    return out;
}

}  // namespace

const char* name(EnrolError e) {
    switch (e) {
        case EnrolError::BadServer: return "BadServer";
        case EnrolError::Network: return "Network";
        case EnrolError::Refused: return "Refused";
        case EnrolError::Throttled: return "Throttled";
        case EnrolError::NotFound: return "NotFound";
        case EnrolError::ServerError: return "ServerError";
        case EnrolError::UnexpectedStatus: return "UnexpectedStatus";
        case EnrolError::BadResponse: return "BadResponse";
    }
    return "?";
}

std::string describe(const EnrolFailure& f) {
    std::string line;
    switch (f.error) {
        case EnrolError::BadServer: line = "the server URL is not http(s)://HOST[:PORT]"; break;
        case EnrolError::Network: line = "cannot reach the server (" + http::describe(f.fetch) + ")"; break;
        case EnrolError::Refused:
            line = "the server refused the enrolment token (expired or invalid): ask for a new installer";
            break;
        case EnrolError::Throttled: line = "the server is throttling enrolments from this address"; break;
        case EnrolError::NotFound: line = "the server has no enrolment endpoint (POST /api/agent/enrol): update it"; break;
        case EnrolError::ServerError: line = "the server failed (HTTP " + std::to_string(f.status) + ")"; break;
        case EnrolError::UnexpectedStatus: line = "unexpected answer HTTP " + std::to_string(f.status); break;
        case EnrolError::BadResponse: line = "the server's answer is not an enrolment (agentId, credential)"; break;
    }
    if (!f.message.empty()) line += ": \"" + f.message + "\"";
    return line;
}

bool retryable(const EnrolFailure& f) {
    return f.error == EnrolError::Network || f.error == EnrolError::Throttled || f.error == EnrolError::ServerError;
}

std::string enrolRequestBody(std::string_view token, std::string_view hostname,
                             const inventory::MachineMetadata& metadata) {
    json body = {{"token", std::string(token)}, {"hostname", std::string(hostname)}};
    body["metadata"] = json::parse(inventory::toJson(metadata));
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Enrolled, EnrolFailure> parseEnrolResponse(const http::Response& response, const http::Origin& origin) {
    const int status = response.status;
    if (status == 401 || status == 403) return fail(EnrolError::Refused, status, serverMessage(response));
    if (status == 429) return fail(EnrolError::Throttled, status, serverMessage(response));
    if (status == 404) return fail(EnrolError::NotFound, status, serverMessage(response));
    if (status >= 500 && status <= 599) return fail(EnrolError::ServerError, status, serverMessage(response));
    if (status != 201 && status != 200) return fail(EnrolError::UnexpectedStatus, status, serverMessage(response));
    const json doc = json::parse(response.body.begin(), response.body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(EnrolError::BadResponse, status);
    auto id = doc.find("agentId");
    auto credential = doc.find("credential");
    if (id == doc.end() || !id->is_string() || credential == doc.end() || !credential->is_string()) {
        return fail(EnrolError::BadResponse, status);
    }
    Enrolled out;
    out.agentId = lowerHex32(id->get_ref<const std::string&>());
    out.credential = credential->get<std::string>();
    if (out.agentId.empty() || out.credential.empty() || out.credential.size() > envelope::kMaxTokenSize) {
        return fail(EnrolError::BadResponse, status);
    }
    // The server names its agent URL (its public URL); an answer without one (or with one
    // that is not ws(s)://) falls back to the origin that just answered.
    if (auto server = doc.find("server"); server != doc.end() && server->is_string() &&
                                          parseWsUrl(server->get_ref<const std::string&>())) {
        out.server = server->get<std::string>();
    } else {
        out.server = std::string(origin.tls ? "wss://" : "ws://") +
                     (origin.host.find(':') != std::string::npos ? "[" + origin.host + "]" : origin.host) + ":" +
                     std::to_string(origin.port) + origin.basePath + std::string(kAgentPath);
    }
    return out;
}

Result<Enrolled, EnrolFailure> enrolOnce(const ws::Dialer& dial, const EnrolRequest& request,
                                         const std::atomic<bool>* cancel) {
    auto origin = portal::originFromServer(request.server);
    if (!origin) return fail(EnrolError::BadServer);
    http::Request post;
    post.method = "POST";
    post.path = "/api/agent/enrol";
    post.contentType = "application/json";
    post.body = enrolRequestBody(request.token, request.hostname, request.metadata);
    auto response = http::fetch(dial, *origin, post, request.transport,
                                {kMaxEnrolResponse, std::chrono::duration_cast<std::chrono::milliseconds>(kEnrolTimeout)},
                                request.userAgent, cancel);
    if (!response) {
        EnrolFailure f;
        f.error = EnrolError::Network;
        f.fetch = response.error();
        return Fail{f};
    }
    return parseEnrolResponse(*response, *origin);
}

Result<Enrolled, EnrolFailure> enrolWithRetry(const std::function<Result<Enrolled, EnrolFailure>()>& attempt,
                                              const EnrolRetry& retry, const LogSink& log) {
    std::random_device seed;
    std::mt19937_64 random(seed());
    Backoff backoff(retry.backoff, [&random] { return std::uniform_real_distribution<double>(0.0, 1.0)(random); });
    for (std::uint32_t n = 1;; ++n) {
        auto result = attempt();
        if (result) return result;
        const EnrolFailure failure = result.error();
        if (!retryable(failure)) {
            log("enrolment failed: " + describe(failure));
            return result;
        }
        if (retry.maxAttempts != 0 && n >= retry.maxAttempts) {
            log("enrolment failed: " + describe(failure) + "; giving up after " + std::to_string(n) + " attempts");
            return result;
        }
        const auto delay = failure.error == EnrolError::Throttled ? backoff.penaltyDelay() : backoff.nextDelay();
        log("enrolment attempt " + std::to_string(n) + " failed: " + describe(failure) + "; retrying in " +
            std::to_string(delay.count()) + " ms");
        if (!retry.wait || !retry.wait(delay)) {
            log("enrolment cancelled");
            return result;
        }
    }
}

}  // namespace guru::unattended
