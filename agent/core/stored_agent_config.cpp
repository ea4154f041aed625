// The stored configuration's JSON (stored_agent_config.h).
#include "core/stored_agent_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/envelope.h"
#include "core/url.h"

namespace guru::unattended {
namespace {

using nlohmann::json;
using Fail = Failure<StoredConfigFailure>;

Fail fail(StoredConfigError e, std::string_view field) { return Fail{StoredConfigFailure{e, std::string(field)}}; }

bool isHex32(std::string_view s) {
    return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

}  // namespace

const char* name(StoredConfigError e) {
    switch (e) {
        case StoredConfigError::MalformedJson: return "MalformedJson";
        case StoredConfigError::MissingField: return "MissingField";
        case StoredConfigError::InvalidField: return "InvalidField";
    }
    return "?";
}

std::string toJson(const StoredAgentConfig& config) {
    json out = {{"server", config.server}, {"agentId", config.agentId}, {"credential", config.credential}};
    if (!config.caFile.empty()) out["caFile"] = config.caFile;
    if (config.pinCa) out["pinCa"] = true;
    out["metadata"] = json::parse(inventory::toJson(config.metadata));
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<StoredAgentConfig, StoredConfigFailure> storedConfigFromJson(std::string_view text) {
    if (text.size() > kMaxStoredConfig) return fail(StoredConfigError::MalformedJson, {});
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(StoredConfigError::MalformedJson, {});
    StoredAgentConfig c;
    const std::pair<const char*, std::string*> required[] = {
        {"server", &c.server}, {"agentId", &c.agentId}, {"credential", &c.credential}};
    for (const auto& [key, field] : required) {
        auto it = doc.find(key);
        if (it == doc.end()) return fail(StoredConfigError::MissingField, key);
        if (!it->is_string()) return fail(StoredConfigError::InvalidField, key);
        *field = it->get<std::string>();
        if (field->empty()) return fail(StoredConfigError::MissingField, key);
    }
    if (!parseWsUrl(c.server)) return fail(StoredConfigError::InvalidField, "server");
    if (!isHex32(c.agentId)) return fail(StoredConfigError::InvalidField, "agentId");
    if (c.credential.size() > envelope::kMaxTokenSize) return fail(StoredConfigError::InvalidField, "credential");
    if (auto it = doc.find("caFile"); it != doc.end()) {
        if (!it->is_string()) return fail(StoredConfigError::InvalidField, "caFile");
        c.caFile = it->get<std::string>();
    }
    if (auto it = doc.find("pinCa"); it != doc.end()) {
        if (!it->is_boolean()) return fail(StoredConfigError::InvalidField, "pinCa");
        c.pinCa = it->get<bool>();
    }
    if (c.pinCa && c.caFile.empty()) return fail(StoredConfigError::InvalidField, "pinCa");
    if (auto it = doc.find("metadata"); it != doc.end() && !it->is_null()) {
        if (!it->is_object()) return fail(StoredConfigError::InvalidField, "metadata");
        auto metadata = inventory::metadataFromJson(it->dump());
        if (!metadata) return fail(StoredConfigError::InvalidField, "metadata");
        c.metadata = std::move(*metadata);
    }
    return c;
}

}  // namespace guru::unattended
