// --open-url: a guruconnect:// link → the portal's code check and download → support mode
// (open_url.h).
#include "open_url.h"

#include "core/portal_join.h"
#include "platform/process.h"

namespace guru {
namespace {

namespace service = platform::service;

std::string describe(const portal::JoinFailure& f, const std::string& code, const std::string& server) {
    switch (f.error) {
        case portal::JoinError::Refused: return "support code " + code + ": " + f.message;
        case portal::JoinError::UnexpectedStatus:
            return "support code " + code + ": the server answered HTTP " + std::to_string(f.status);
        case portal::JoinError::Network: return "cannot reach " + server + " (" + http::describe(f.fetch) + ")";
        case portal::JoinError::BadResponse:
            return "the server's answer to the code check is not the portal's (is " + server +
                   " a GuruConnect server?)";
        case portal::JoinError::BadDownload:
            return std::string("the session's configuration did not verify (") + support::name(f.trailer.error) +
                   "): " + support::explain(f.trailer.error);
        case portal::JoinError::WrongSession:
            return "the server handed out another session's configuration than code " + code + "'s";
        case portal::JoinError::BadServer: break;
    }
    return "the server URL " + server + " is neither http(s)://HOST nor ws(s)://HOST/api/agent/ws";
}

}  // namespace

std::optional<LinkServer> linkServer(const cli::Options& o, const OpenUrlEntryPoints& entry) {
    if (o.pinCa && !o.caFileFlag) {
        entry.error("GURU_PIN_CA needs GURU_CA_FILE");
        return std::nullopt;
    }
    LinkServer link;
    if (o.serverFlag) {
        link.server = o.server;
    } else {
        auto installed = entry.installedServer();
        if (!installed) {
            const auto e = installed.error();
            if (e == service::ServiceError::Unsupported || e == service::ServiceError::ConfigMissing) {
                entry.error("no server: set GURU_SERVER (no installed agent configuration here)");
            } else {
                entry.error(std::string("cannot read the installed agent's server (") + service::name(e) +
                            "): " + service::describe(e) + "; or set GURU_SERVER");
            }
            return std::nullopt;
        }
        link = {installed->server, installed->caFile, installed->pinCa};
    }
    if (o.caFileFlag) {  // the environment wins over the installed CA settings
        link.caFile = o.caFile;
        link.pinCa = o.pinCa;
    }
    return link;
}

int openSessionLink(const cli::Options& o, const OpenUrlEntryPoints& entry) {
    auto code = service::parseSessionUrl(o.openUrl);
    if (!code) {
        // The URL itself is not echoed: it comes from a web page and may hold anything.
        entry.error(std::string("not a GuruConnect session link (") + service::name(code.error()) +
                    "): expected guruconnect://session/ and six digits");
        return 2;
    }
    const auto link = linkServer(o, entry);
    if (!link) return 2;
    auto origin = portal::originFromServer(link->server);
    if (!origin) {
        entry.error(describe({portal::JoinError::BadServer, {}, 0, {}, {}}, *code, link->server));
        return 2;
    }
    entry.progress("open-url: support session " + *code + ": asking " + link->server);

    portal::JoinRequest request;
    request.origin = *origin;
    request.code = *code;
    request.platform = platform::portalPlatformName();
    request.transport.caFile = link->caFile;
    request.transport.caFileOnly = link->pinCa;
    request.userAgent = "guruconnect-agent/" + entry.agentVersion;
    auto config = portal::joinByCode(entry.dial, request, nullptr);
    if (!config) {
        entry.error(describe(config.error(), *code, link->server));
        return 1;
    }
    entry.progress("open-url: support session " + *code + " verified: joining it");

    SupportModeOptions options;
    options.config = std::move(*config);
    options.ownFile.clear();  // the installed agent: nothing to delete afterwards
    options.backend = o.backend;
    options.caFile = link->caFile;
    options.pinCa = link->pinCa;
    options.agentVersion = entry.agentVersion;
    options.consentTimeout = std::chrono::seconds(o.consentTimeout);
    return entry.runSupport(options);
}

}  // namespace guru
