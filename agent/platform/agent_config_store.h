// Where an enrolled (unattended) agent keeps its stored configuration
// (core/stored_agent_config.h). OS-neutral interface, one implementation per OS:
// - Linux (platform/posix/agent_config_file.cpp): one JSON file, /etc/guruconnect/agent.json
//   by default (--config FILE), mode 0600, written atomically (a temporary file beside it,
//   then rename). A file other users can read or write is refused, as ssh refuses such keys.
// - Windows (platform/win32/win32_agent_config_store.cpp): the service's registry key
//   HKLM\SOFTWARE\GuruConnect\Agent, the credential DPAPI-protected (win32_agent_config.h);
//   `location` must be empty there.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "core/stored_agent_config.h"

namespace guru::platform {

/// The default configuration file of the .deb's systemd unit.
inline constexpr const char* kDefaultAgentConfigFile = "/etc/guruconnect/agent.json";

/// Why the stored configuration could not be read or written.
enum class ConfigFileError : std::uint8_t {
    NotFound,     // none stored: the agent has not enrolled yet
    Unreadable,   // it exists but cannot be opened or read (permissions, a directory…)
    TooOpen,      // group or others may read or write it
    Invalid,      // its JSON is not a stored configuration (see the failure)
    Unwritable,   // the new file could not be created, written or renamed into place
    Unsupported,  // a location this OS does not keep configurations in (Windows: a file)
};

/// Short stable name for an error.
const char* name(ConfigFileError e);

/// A failed read: the error and, for Invalid, why the JSON was refused.
struct ConfigFileFailure {
    ConfigFileError error = ConfigFileError::NotFound;
    unattended::StoredConfigFailure invalid;
};

/// Reads and validates the configuration at `location` (Linux: a file path).
Result<unattended::StoredAgentConfig, ConfigFileFailure> readStoredConfig(const std::string& location);

/// Stores `config` at `location` (Linux: 0600, missing parent folders created 0700, any old
/// file replaced in one rename; Windows: the registry key, credential DPAPI-protected).
Outcome<ConfigFileError> writeStoredConfig(const std::string& location, const unattended::StoredAgentConfig& config);

/// Where a `--config` value (possibly empty) points on this OS: Linux the value or
/// kDefaultAgentConfigFile; Windows the value itself (empty: the registry).
std::string storedConfigLocation(const std::string& configFlag);

/// `path` made absolute (the service or unit starts in another directory); as it is when that fails.
std::string absolutePath(const std::string& path);

/// This machine's host name (what enrolment and the inventory report), or "" if unknown.
std::string machineHostname();

}  // namespace guru::platform
