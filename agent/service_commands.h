// The service-mode commands of the command line: --install, --uninstall, --service,
// --session-helper and --open-url (platform/service.h does the OS work).
#pragma once

#include <functional>
#include <optional>

#include "options.h"
#include "platform/service.h"
#include "unattended_mode.h"

namespace guru {

/// What the service commands need from main: checking a configuration exactly as `run`
/// does (printing why it is refused) and running the agent with one.
struct AgentEntryPoints {
    std::function<bool(const platform::service::AgentConfig&)> validate;
    platform::service::AgentRunner run;
    /// This binary's unattended trailer, if any, and the enrolment's entry points: --install
    /// without --credential enrols with them first (unattended_mode.h).
    const std::optional<support::UnattendedTrailer>* trailer = nullptr;
    const UnattendedEntryPoints* unattended = nullptr;
};

/// The `run` flags of the command line as a service configuration.
platform::service::AgentConfig agentConfigOf(const cli::Options& o);

/// Runs the service command `o.command` names and returns its exit code; nothing when it
/// names another command. Exit codes: 0 done, 1 failed (access denied, service manager),
/// 2 bad input or not supported on this OS. --open-url runs on every OS (open_url.h).
std::optional<int> runServiceCommand(const cli::Options& o, const AgentEntryPoints& agent);

}  // namespace guru
