// The portal's code check and download for a guruconnect:// link (portal_join.h).
#include "core/portal_join.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace guru::portal {
namespace {

using nlohmann::json;
using Fail = Failure<JoinFailure>;

constexpr std::string_view kAgentPath = "/api/agent/ws";
constexpr std::string_view kDownloadPrefix = "/api/portal/download/";

Fail fail(JoinError e) { return Fail{JoinFailure{e, {}, 0, {}, {}}}; }

Fail networkFailure(const http::FetchError& e) {
    JoinFailure f;
    f.error = JoinError::Network;
    f.fetch = e;
    return Fail{f};
}

// A non-200 answer: Refused with the server's message when its JSON has one.
Fail refusal(const http::Response& response) {
    JoinFailure f;
    f.status = response.status;
    f.error = JoinError::UnexpectedStatus;
    const json doc = json::parse(response.body.begin(), response.body.end(), nullptr, false);
    if (!doc.is_discarded() && doc.is_object()) {
        for (const char* key : {"message", "error"}) {
            auto it = doc.find(key);
            if (it != doc.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
                f.error = JoinError::Refused;
                f.message = printableMessage(it->get_ref<const std::string&>());
                break;
            }
        }
    }
    return Fail{f};
}

}  // namespace

const char* name(JoinError e) {
    switch (e) {
        case JoinError::BadServer: return "BadServer";
        case JoinError::Network: return "Network";
        case JoinError::Refused: return "Refused";
        case JoinError::UnexpectedStatus: return "UnexpectedStatus";
        case JoinError::BadResponse: return "BadResponse";
        case JoinError::BadDownload: return "BadDownload";
        case JoinError::WrongSession: return "WrongSession";
    }
    return "?";
}

Result<http::Origin, JoinError> originFromServer(std::string_view server) {
    auto url = support::agentUrlFromServer(server);
    if (!url) return Failure{JoinError::BadServer};
    std::string_view path = url->path;
    if (!path.ends_with(kAgentPath)) return Failure{JoinError::BadServer};
    path.remove_suffix(kAgentPath.size());
    if (path.find_first_of("?#") != std::string_view::npos) return Failure{JoinError::BadServer};
    http::Origin origin;
    origin.tls = url->tls;
    origin.host = url->host;
    origin.port = url->port;
    origin.basePath = std::string(path);
    while (!origin.basePath.empty() && origin.basePath.back() == '/') origin.basePath.pop_back();
    return origin;
}

std::string codeRequestBody(std::string_view code) { return json{{"code", std::string(code)}}.dump(); }

std::string printableMessage(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size() && out.size() < kMaxMessage; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else if ((c & 0xC0) != 0x80) {
            out += '?';  // a control, or the lead byte of a UTF-8 sequence (its tail is skipped)
        }
    }
    if (out.size() >= kMaxMessage) out += "...";
    return out;
}

bool isDownloadPath(std::string_view path) {
    if (path.size() > kMaxDownloadPath || !path.starts_with(kDownloadPrefix) || path.size() == kDownloadPrefix.size()) {
        return false;
    }
    return std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("-._~/?=&%").find(c) != std::string_view::npos;
    });
}

Result<std::string, JoinFailure> parseCodeResponse(const http::Response& response) {
    if (response.status != 200) return refusal(response);
    const json doc = json::parse(response.body.begin(), response.body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(JoinError::BadResponse);
    auto url = doc.find("downloadUrl");
    if (url == doc.end() || !url->is_string() || !isDownloadPath(url->get_ref<const std::string&>())) {
        return fail(JoinError::BadResponse);
    }
    return url->get<std::string>();
}

Result<support::SupportConfig, JoinFailure> joinByCode(const ws::Dialer& dial, const JoinRequest& r,
                                                       const std::atomic<bool>* cancel) {
    // The platform picks the build the server stamps; its downloadUrl carries it on.
    http::Request check;
    check.method = "POST";
    check.path = "/api/portal/code?platform=" + r.platform;
    check.contentType = "application/json";
    check.body = codeRequestBody(r.code);
    auto checked = http::fetch(dial, r.origin, check, r.transport,
                               {kMaxCodeResponse, std::chrono::duration_cast<std::chrono::milliseconds>(kCodeTimeout)},
                               r.userAgent, cancel);
    if (!checked) return networkFailure(checked.error());
    auto path = parseCodeResponse(*checked);
    if (!path) return Failure{path.error()};

    http::Request get;
    get.path = *path;
    auto download = http::fetch(dial, r.origin, get, r.transport,
                                {support::kMaxTrailerFile,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(kDownloadTimeout)},
                                r.userAgent, cancel);
    if (!download) return networkFailure(download.error());
    if (download->status != 200) return refusal(*download);
    auto config = support::parseTrailer(download->body);
    if (!config) {
        JoinFailure f;
        f.error = JoinError::BadDownload;
        f.trailer = config.error();
        return Fail{f};
    }
    if (config->code != r.code) return fail(JoinError::WrongSession);
    // The session is served where the link's server is, whatever the trailer names: the key
    // that signed it came with the same download, so the trailer must not pick the server.
    config->agentUrl.tls = r.origin.tls;
    config->agentUrl.host = r.origin.host;
    config->agentUrl.port = r.origin.port;
    config->agentUrl.path = r.origin.basePath + std::string(kAgentPath);
    return std::move(*config);
}

}  // namespace guru::portal
