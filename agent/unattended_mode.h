// The enrolled (unattended) agent, docs/unattended.md: `--unattended [--config FILE]` runs
// with the stored configuration, enrolling first when there is none; `--reconfigure` edits
// the stored metadata. Windows' `--install` enrols through enrolmentSource/enrolNow too
// (service_commands.cpp). The OS work is platform/agent_config_store.h's.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/agent_trailer.h"
#include "core/enrolment.h"
#include "core/log.h"
#include "options.h"
#include "platform/service.h"

namespace guru {

/// Exit code when enrolment is refused for good (sysexits' EX_CONFIG): the .deb's unit has
/// RestartPreventExitStatus=78, so a dead token does not restart the agent in a loop.
inline constexpr int kExitEnrolmentRefused = 78;

/// Where an enrolment's token, server and metadata come from, in order: the MSI's
/// properties (--from-msi, Windows), then --enrol-token-file with --server, then this
/// binary's unattended trailer; --name/--company/… flags override the metadata.
struct EnrolmentSource {
    std::string server;
    std::string token;
    inventory::MachineMetadata metadata;
    std::string origin;  // for the log: "the trailer", "--enrol-token-file FILE", "the MSI's properties"
};

/// What main gives the unattended mode.
struct UnattendedEntryPoints {
    /// Runs the agent with an enrolled configuration until it is told to stop; the metadata
    /// source is read at every check-in.
    std::function<int(const platform::service::AgentConfig&, const inventory::MetadataSource&)> run;
    /// The MSI's properties (Windows, --from-msi): read, then deleted at once.
    std::function<std::optional<EnrolmentSource>(const LogSink&)> msiProperties;
};

/// The enrolment to make: from the flags, the MSI or the trailer; nothing (and the reason
/// logged) when no token is known or a token file cannot be read.
std::optional<EnrolmentSource> enrolmentSource(const cli::Options& o, const std::optional<support::UnattendedTrailer>& trailer,
                                               const UnattendedEntryPoints& entry, const LogSink& log);

/// Enrols (retrying network errors with backoff until SIGINT/SIGTERM); the configuration to
/// store, or the exit code to return.
Result<unattended::StoredAgentConfig, int> enrolNow(const cli::Options& o, const EnrolmentSource& source, const LogSink& log);

/// `--unattended`: the stored configuration (or a new enrolment, stored 0600), then `run`.
int runUnattended(const cli::Options& o, const std::optional<support::UnattendedTrailer>& trailer,
                  const UnattendedEntryPoints& entry, const LogSink& log);

/// `--reconfigure`: applies the metadata flags to the stored configuration.
int reconfigure(const cli::Options& o, const LogSink& log);

/// The service configuration of a stored one (identity file: beside the stored file).
platform::service::AgentConfig agentConfigOf(const unattended::StoredAgentConfig& stored, const cli::Options& o,
                                             const std::string& location);

}  // namespace guru
