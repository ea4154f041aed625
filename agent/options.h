// The agent's command line: flags, their environment fallbacks and the usage text.
#pragma once

#include <string>

#include "core/machine_metadata.h"

#include "core/session_loop.h"
#include "platform/platform.h"

namespace guru::cli {

/// Everything the command line (and $GURU_SERVER, $GURU_AGENT_ID, $GURU_CREDENTIAL,
/// $GURU_CA_FILE) asks for. `command` is empty, "run", a diagnostic command's name, or a
/// service command: "install", "uninstall", "service", "session-helper", "open-url", or
/// "unattended" / "reconfigure" (the enrolled agent).
struct Options {
    std::string command;
    std::string output;
    std::string format = "jpeg";
    platform::BackendOptions backend;
    int seconds = 10;
    int frames = 20;
    std::string server;      // --server, else $GURU_SERVER
    bool serverFlag = false; // --server given (--open-url ignores $GURU_SERVER)
    std::string agentId;     // --agent-id, else $GURU_AGENT_ID
    std::string credential;  // --credential, else $GURU_CREDENTIAL
    std::string caFile;      // --ca-file, else $GURU_CA_FILE
    std::string identityFile;  // --identity-file, else $GURU_IDENTITY_FILE (unattended, file stores)
    bool pinCa = false;      // --pin-ca: trust only --ca-file
    bool caFileFlag = false; // --ca-file given (support mode ignores the environment)
    std::string supportTrailer;  // --support-trailer FILE: support mode from FILE's trailer
    int consentTimeout = 300;    // --consent-timeout SECONDS (support mode)
    std::string elevatedHandover;  // --elevated-handover PIPE: take a support session over (Windows)
    std::string openUrl;         // --open-url URL: a guruconnect:// link (command "open-url")
    std::string stopEvent;       // --stop-event HANDLE: the service's event (--session-helper)
    // Unattended (enrolled) agents, docs/unattended.md:
    std::string configFile;      // --config FILE (Linux; default /etc/guruconnect/agent.json)
    std::string enrolTokenFile;  // --enrol-token-file FILE: the enrolment token, for scripts
    bool fromMsi = false;        // --from-msi: --install reads HKLM\SOFTWARE\GuruConnect\MsiProperties
    inventory::MetadataEdit metadataEdit;  // --name/--company/--site/--department/--device-type/--tag
};

/// Prints the usage text to stderr; returns 2, the exit code for a bad command line.
int usage();

/// Fills `o` from argv, then the environment for what the flags left empty; the command
/// becomes "run" when none was given but a server is known. False on an unknown flag or a
/// flag missing its value.
bool parse(int argc, char** argv, Options& o);

/// The session's settings on this machine: its video encoders, and diagnostics collected by
/// the OS backend and reported as `agentVersion`.
SessionSettings sessionSettings(const std::string& agentVersion);

}  // namespace guru::cli
