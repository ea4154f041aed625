// `--open-url guruconnect://session/NNNNNN`: the installed agent joins the support session
// of a link (docs/support.md §4, "Joining from a link"). The server is --server, else the
// installed agent's own (platform::service::installedServer); the portal checks the code
// and hands out the session's signed config (core/portal_join.h); then support mode runs
// with it, consent prompt included, and the installed agent keeps its file afterwards.
#pragma once

#include <functional>
#include <string>

#include "core/log.h"
#include "core/ws_client.h"
#include "options.h"
#include "platform/service.h"
#include "support_mode.h"

namespace guru {

/// What --open-url needs from the outside: the real ones in the agent
/// (service_commands.cpp), fakes in tests.
struct OpenUrlEntryPoints {
    ws::Dialer dial;  // platform::connectTransport
    std::function<Result<platform::service::InstalledServer, platform::service::ServiceError>()> installedServer;
    std::function<int(const SupportModeOptions&)> runSupport;  // runSupportMode
    LogSink progress;  // one line each: what is being done
    LogSink error;     // one line each: why it failed
    std::string agentVersion;
};

/// The server and trust settings a link is joined through.
struct LinkServer {
    std::string server;
    std::string caFile;
    bool pinCa = false;
};

/// --server (with --ca-file, --pin-ca) when given, else the installed agent's settings;
/// nothing (the reason passed to `error`) when neither is there.
std::optional<LinkServer> linkServer(const cli::Options& o, const OpenUrlEntryPoints& entry);

/// Runs --open-url. Exit codes: what support mode returns (0) once the session is over;
/// 1 when the server refused the code or the download did not verify, or it was unreachable;
/// 2 for a link that is not guruconnect://session/NNNNNN or when no server is known.
int openSessionLink(const cli::Options& o, const OpenUrlEntryPoints& entry);

}  // namespace guru
