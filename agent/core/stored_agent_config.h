// The enrolled agent's stored configuration as JSON (Linux: /etc/guruconnect/agent.json, 0600,
// root; or --config FILE): what enrolment gave it and the metadata --reconfigure edits.
//   {"server":"wss://host/api/agent/ws","agentId":"<32 hex>","credential":"…",
//    "caFile":"/path.pem","pinCa":false,"metadata":{…machine_metadata.h…}}
// caFile and pinCa are optional (absent: the system trust store). The enrolment token is
// never part of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/machine_metadata.h"
#include "core/result.h"

namespace guru::unattended {

/// Largest stored configuration read back.
inline constexpr std::size_t kMaxStoredConfig = 64 * 1024;

/// An enrolled agent's settings.
struct StoredAgentConfig {
    std::string server;      // the agent WebSocket URL, ws(s)://…/api/agent/ws
    std::string agentId;     // 32 hex digits
    std::string credential;  // the AgentHello credential the server issued
    std::string caFile;      // empty: system trust store only
    bool pinCa = false;
    inventory::MachineMetadata metadata;

    bool operator==(const StoredAgentConfig&) const = default;
};

/// Why a stored configuration was refused.
enum class StoredConfigError : std::uint8_t {
    MalformedJson,  // not JSON or not an object, or larger than kMaxStoredConfig
    MissingField,   // server, agentId or credential absent or empty
    InvalidField,   // a key of the wrong type, a bad URL or agent id, bad metadata
};

/// Short stable name for an error.
const char* name(StoredConfigError e);

/// A refused configuration and the key it is about.
struct StoredConfigFailure {
    StoredConfigError error = StoredConfigError::MalformedJson;
    std::string field;
};

/// The configuration as pretty-printed JSON (a person may read it), ending in a newline.
std::string toJson(const StoredAgentConfig& config);

/// JSON text → a validated configuration.
Result<StoredAgentConfig, StoredConfigFailure> storedConfigFromJson(std::string_view json);

}  // namespace guru::unattended
