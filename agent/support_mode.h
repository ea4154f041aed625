// Support mode: the one-time agent downloaded from the portal (docs/support.md §4).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/log.h"
#include "core/support_config.h"
#include "support_elevation.h"
#include "platform/platform.h"

namespace guru {

/// Everything support mode needs: the trailer's config and a few local flags.
struct SupportModeOptions {
    support::SupportConfig config;
    /// The file deleted when the session is over: the agent itself, or with
    /// --support-trailer the file the trailer was read from. Empty: nothing is deleted (the
    /// installed agent joining a session from a guruconnect:// link, open_url.h).
    std::string ownFile;
    platform::BackendOptions backend;
    std::string caFile;  // --ca-file (the environment's agent settings are ignored)
    bool pinCa = false;
    std::string agentVersion;
    std::chrono::seconds consentTimeout{300};
    /// The command line an elevated relaunch gets besides `--elevated-handover` (the same
    /// trailer file, CA file and timeouts).
    std::vector<std::string> relaunchArguments;
    /// Set in the elevated child: the session it takes over (support_elevation.h).
    std::shared_ptr<Takeover> takeover;
};

/// Connects, asks for consent, serves viewers, shows the session window; returns the exit
/// code once the session is over (file deleted, unless ownFile is empty) or on
/// SIGINT/SIGTERM (file kept).
int runSupportMode(const SupportModeOptions& options, const LogSink& log);

}  // namespace guru
