// The service-mode commands (service_commands.h): progress on stdout, errors on stderr.
#include "service_commands.h"

#include <cstdio>
#include <string>

#include "open_url.h"
#include "platform/agent_config_store.h"
#include "platform/transport.h"
#include "support_mode.h"

#ifndef GURU_AGENT_VERSION
#define GURU_AGENT_VERSION "0.0.0-dev"
#endif

namespace guru {

namespace service = platform::service;

namespace {

void say(const std::string& line) {
    std::printf("guruconnect-agent: %s\n", line.c_str());
    std::fflush(stdout);  // in order with stderr when both go to one file
}

int failed(service::ServiceError error) {
    std::fprintf(stderr, "guruconnect-agent: %s (%s)\n", service::describe(error), service::name(error));
    return error == service::ServiceError::Unsupported || error == service::ServiceError::NotStartedByScm ||
                   error == service::ServiceError::BadStopEvent || error == service::ServiceError::CaFileNotFound
               ? 2 : 1;
}

void sayError(const std::string& line) {
    std::fprintf(stderr, "guruconnect-agent: %s\n", line.c_str());
}

// --open-url with the real transport, installed configuration and support mode.
int openUrl(const cli::Options& o) {
    OpenUrlEntryPoints entry;
    entry.dial = platform::connectTransport;
    entry.installedServer = service::installedServer;
    entry.runSupport = [](const SupportModeOptions& options) { return runSupportMode(options, sayError); };
    entry.progress = say;
    entry.error = sayError;
    entry.agentVersion = GURU_AGENT_VERSION;
    return openSessionLink(o, entry);
}

// --install of an unattended installer (no --credential; a trailer, --from-msi or
// --enrol-token-file): the configuration to install, or the exit code. Nothing for an
// --install with explicit --server/--agent-id/--credential flags.
std::optional<Result<service::AgentConfig, int>> enrolForInstall(const cli::Options& o, const AgentEntryPoints& agent) {
    const bool hasTrailer = agent.trailer && agent.trailer->has_value();
    if (!o.credential.empty() || !agent.unattended || !(hasTrailer || o.fromMsi || !o.enrolTokenFile.empty())) {
        return std::nullopt;
    }
    static const std::optional<support::UnattendedTrailer> kNone;
    // Read (and delete) the MSI's properties whatever happens next: the token must not stay.
    auto source = enrolmentSource(o, agent.trailer ? *agent.trailer : kNone, *agent.unattended, sayError);
    // Installing again (an update) keeps the enrolment: a second one would be a second machine.
    if (auto stored = platform::readStoredConfig(platform::storedConfigLocation({})); stored) {
        say("already enrolled as agent " + stored->agentId + ": keeping that enrolment");
        return agentConfigOf(*stored, o, {});
    }
    if (!source) return Result<service::AgentConfig, int>(Failure{2});
    auto enrolled = enrolNow(o, *source, sayError);
    if (!enrolled) return Result<service::AgentConfig, int>(Failure{enrolled.error()});
    return agentConfigOf(*enrolled, o, {});
}

}  // namespace

service::AgentConfig agentConfigOf(const cli::Options& o) {
    service::AgentConfig config;
    config.server = o.server;
    config.agentId = o.agentId;
    config.credential = o.credential;
    config.caFile = o.caFile;
    config.pinCa = o.pinCa;
    config.identityFile = o.identityFile;
    return config;
}

std::optional<int> runServiceCommand(const cli::Options& o, const AgentEntryPoints& agent) {
    const std::string& command = o.command;
    if (command != "install" && command != "uninstall" && command != "service" && command != "session-helper" &&
        command != "open-url") {
        return std::nullopt;
    }
    if (command == "open-url") return openUrl(o);  // every OS: a link joins through any server
    if (!service::supported()) return failed(service::ServiceError::Unsupported);
    if (command == "install") {
        auto config = agentConfigOf(o);
        if (auto enrolled = enrolForInstall(o, agent)) {
            if (!enrolled->ok()) return enrolled->error();
            config = std::move(**enrolled);
        }
        if (!agent.validate(config)) return 2;
        auto installed = service::installService(config, say);
        if (!installed) return failed(installed.error());
        say("installed: the agent now runs as the GuruConnect service");
        return 0;
    }
    if (command == "uninstall") {
        auto removed = service::uninstallService(say);
        if (!removed) return failed(removed.error());
        say(*removed == service::UninstallResult::Removed ? "uninstalled" : "not installed: nothing to remove");
        return 0;
    }
    if (command == "service") {
        auto code = service::runService();
        return code ? *code : failed(code.error());
    }
    auto code = service::runSessionHelper(o.stopEvent, [&agent](const service::AgentConfig& config) {
        return agent.validate(config) ? agent.run(config) : 2;
    });
    return code ? *code : failed(code.error());
}

}  // namespace guru
