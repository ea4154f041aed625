// The signed trailer of a baked agent binary in either of its modes (docs/support.md §4,
// docs/unattended.md): the same footer, key slot and Ed25519 signature
// (support::verifiedTrailerJson), then the JSON's "mode" picks the parser:
//   absent or "support"  → support::SupportConfig (the one-time support agent, as before)
//   "unattended"         → UnattendedTrailer:
//     {"mode":"unattended","server":"https://host:port","enrolToken":"…","metadata":{…}}
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "core/machine_metadata.h"
#include "core/support_config.h"

namespace guru::support {

/// What an unattended installer's trailer carries: where to enrol and with which token.
struct UnattendedTrailer {
    std::string server;      // http(s)://host[:port][/prefix], as the Build tab baked it
    std::string enrolToken;  // traded once for the agent's own credential; never stored
    inventory::MachineMetadata metadata;  // the form's values (blank fields: the server's)
};

/// A verified trailer, in the mode its JSON names.
using AgentTrailer = std::variant<SupportConfig, UnattendedTrailer>;

/// The JSON of a verified trailer → its mode's config. An unknown "mode" is InvalidField.
Result<AgentTrailer, TrailerFailure> parseAgentTrailerJson(std::string_view json);

/// verifiedTrailerJson, then parseAgentTrailerJson.
Result<AgentTrailer, TrailerFailure> parseAgentTrailer(ByteView file);

/// readVerifiedTrailerJson, then parseAgentTrailerJson.
Result<AgentTrailer, TrailerFailure> readAgentTrailer(const std::string& path);

}  // namespace guru::support
