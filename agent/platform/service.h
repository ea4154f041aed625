// The permanent agent as an OS service (Windows: an SCM service that keeps a helper process
// running in the console session) and its `guruconnect://` URL handler. The interface is
// OS-neutral; platform/win32/win32_service_*.cpp implement it, platform/posix/
// service_unsupported.cpp says Unsupported (Linux uses a systemd unit instead).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/log.h"
#include "core/machine_metadata.h"
#include "core/result.h"

namespace guru::platform::service {

/// What the installed agent runs with: the `run` flags, kept by the OS (Windows: the
/// registry, the credential protected by DPAPI).
struct AgentConfig {
    std::string server;
    std::string agentId;
    std::string credential;
    std::string caFile;  // empty: system trust store only
    bool pinCa = false;
    /// --identity-file / $GURU_IDENTITY_FILE: where a file-based identity store keeps the key
    /// (platform/identity_store.h); empty for the default. Not stored by --install.
    std::string identityFile;
    /// An enrolled agent (docs/unattended.md) keeps its metadata beside the credential and
    /// reports it; an agent installed with --credential has none.
    bool enrolled = false;
    inventory::MachineMetadata metadata;
};

/// Why a service operation failed.
enum class ServiceError : std::uint8_t {
    Unsupported,      // not on this OS (Linux: systemd)
    AccessDenied,     // needs an elevated (Administrator) prompt
    NotStartedByScm,  // --service run from a console instead of by the service manager
    ConfigMissing,    // no installed configuration (HKLM\SOFTWARE\GuruConnect\Agent)
    ConfigInvalid,    // the stored configuration is incomplete or cannot be decrypted
    ProtectFailed,    // DPAPI could not protect the credential
    RegistryFailed,
    CopyFailed,       // the .exe could not be copied to its install folder
    ServiceManagerFailed,
    StopTimedOut,     // the running service did not stop in time
    BadStopEvent,     // --session-helper without a usable --stop-event handle
    CaFileNotFound,   // --install --ca-file names no file
};

/// Short stable name for a service error ("AccessDenied").
const char* name(ServiceError e);
/// One sentence saying what to do about it, for the console.
const char* describe(ServiceError e);

/// Whether this OS has the service mode at all.
bool supported();

/// Copies the running .exe to the install folder (unless it runs from there), stores
/// `config`, creates or updates the service, starts it, and registers the URL handler for
/// the installing user. Each step is reported through `log`. Re-running updates in place.
Outcome<ServiceError> installService(const AgentConfig& config, const LogSink& log);

/// What uninstallService found.
enum class UninstallResult : std::uint8_t { Removed, NotInstalled };

/// Stops (at most 20 s) and deletes the service, removes the configuration, the URL
/// handler and the installed .exe. Uninstalling what is not installed is not an error.
Result<UninstallResult, ServiceError> uninstallService(const LogSink& log);

/// What the session helper runs once it has the configuration: main's `run`, which
/// returns when platform::waitForTermination() does (the service's stop event included).
using AgentRunner = std::function<int(const AgentConfig&)>;

/// The service process (`--service`, started by the service manager): returns the exit
/// code once the service has stopped, or NotStartedByScm.
Result<int, ServiceError> runService();

/// The helper the service starts in the console session (`--session-helper --stop-event
/// N`): reads the installed configuration, makes the stop event end waitForTermination(),
/// then returns what `runner` returns.
Result<int, ServiceError> runSessionHelper(std::string_view stopEvent, const AgentRunner& runner);

/// The installed configuration (Windows: HKLM, credential unprotected).
Result<AgentConfig, ServiceError> readInstalledConfig();

/// The MSI's public properties as its custom action leaves them for `--install --from-msi`
/// (HKLM\SOFTWARE\GuruConnect\MsiProperties, REG_SZ each; empty: not given).
struct MsiProperties {
    std::string server;      // SERVER
    std::string enrolToken;  // ENROLLTOKEN
    std::string company;     // COMPANY
    std::string site;        // SITE
    std::string department;  // DEPARTMENT
    std::string deviceType;  // DEVICETYPE
    std::string tag;         // TAG
};

/// Reads the MSI's properties and deletes their key at once (it may hold the token); the
/// deletion is checked. ConfigMissing when there is no such key; Unsupported off Windows.
Result<MsiProperties, ServiceError> takeMsiProperties(const LogSink& log);

/// A baked unattended installer started without arguments (double-clicked): asks whether
/// to install the service and, if so, runs `--install` elevated; returns the exit code.
/// Nothing on an OS without the service mode (Linux runs the agent in the foreground).
std::optional<int> offerInstall(const LogSink& log);

/// Where the installed agent connects, without its identity: what `--open-url` needs.
struct InstalledServer {
    std::string server;  // the stored --server URL (ws(s)://HOST:PORT/api/agent/ws)
    std::string caFile;  // empty: system trust store only
    bool pinCa = false;
};

/// The installed server and CA settings, never the credential (nothing is decrypted).
/// ConfigMissing when no agent is installed; Unsupported on Linux (no installed config).
Result<InstalledServer, ServiceError> installedServer();

// --- the pure parts, the same on every OS (platform/service_text.cpp) ---------------------

/// Why a `guruconnect://` URL was refused.
enum class SessionUrlError : std::uint8_t { TooLong, WrongScheme, WrongPath, BadCode };

/// Short stable name for a URL error.
const char* name(SessionUrlError e);

/// The longest URL looked at; anything longer is refused before parsing.
inline constexpr std::size_t kMaxSessionUrlLength = 64;

/// `guruconnect://session/NNNNNN` (exactly six ASCII digits, nothing before or after: no
/// query, fragment, trailing slash or percent-encoding) → the six-digit support code.
Result<std::string, SessionUrlError> parseSessionUrl(std::string_view url);

/// One argument quoted the way CommandLineToArgvW and the MSVC runtime split it back:
/// unchanged if it has no space, tab, newline or quote; else in quotes, with backslashes
/// before a quote (or the closing quote) doubled and quotes escaped.
std::string quoteArgument(std::string_view argument);

/// The service's binary path: `"EXE" --service`.
std::string serviceCommandLine(std::string_view exe);

/// The session helper's command line: `"EXE" --session-helper --stop-event HANDLE`.
std::string sessionHelperCommandLine(std::string_view exe, std::uint64_t stopEventHandle);

/// The URL handler's `shell\open\command`: `"EXE" --open-url "%1"`.
std::string urlHandlerCommand(std::string_view exe);

/// A `--stop-event` value (decimal, 1..2^32-1, what a 32-bit-safe handle value can be) → the
/// handle value, or nothing.
std::optional<std::uint64_t> parseHandleValue(std::string_view text);

}  // namespace guru::platform::service
