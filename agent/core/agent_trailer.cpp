// Trailer modes (agent_trailer.h): the signature is checked by support_config.cpp, once for
// both modes; this file only reads the verified JSON.
#include "core/agent_trailer.h"

#include <nlohmann/json.hpp>

namespace guru::support {
namespace {

using nlohmann::json;
using Fail = Failure<TrailerFailure>;

Fail fail(TrailerError e, std::string_view field) { return Fail{TrailerFailure{e, field}}; }

Result<AgentTrailer, TrailerFailure> parseUnattended(const json& doc) {
    UnattendedTrailer t;
    auto server = doc.find("server");
    if (server == doc.end()) return fail(TrailerError::MissingField, "server");
    if (!server->is_string() || !agentUrlFromServer(server->get<std::string>())) {
        return fail(TrailerError::InvalidField, "server");
    }
    t.server = server->get<std::string>();
    auto token = doc.find("enrolToken");
    if (token == doc.end()) return fail(TrailerError::MissingField, "enrolToken");
    if (!token->is_string() || token->get_ref<const std::string&>().empty() ||
        token->get_ref<const std::string&>().size() > kMaxSecret) {
        return fail(TrailerError::InvalidField, "enrolToken");
    }
    t.enrolToken = token->get<std::string>();
    if (auto metadata = doc.find("metadata"); metadata != doc.end() && !metadata->is_null()) {
        if (!metadata->is_object()) return fail(TrailerError::InvalidField, "metadata");
        auto parsed = inventory::metadataFromJson(metadata->dump());
        if (!parsed) return fail(TrailerError::InvalidField, "metadata");
        t.metadata = std::move(*parsed);
    }
    return AgentTrailer{std::move(t)};
}

}  // namespace

Result<AgentTrailer, TrailerFailure> parseAgentTrailerJson(std::string_view text) {
    if (text.empty() || text.size() > kMaxConfigJson) return fail(TrailerError::BadLength, {});
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(TrailerError::MalformedJson, {});
    auto mode = doc.find("mode");
    if (mode != doc.end() && !mode->is_string()) return fail(TrailerError::InvalidField, "mode");
    const std::string name = mode == doc.end() ? "support" : mode->get<std::string>();
    if (name == "unattended") return parseUnattended(doc);
    if (name != "support") return fail(TrailerError::InvalidField, "mode");
    auto support = parseConfigJson(text);
    if (!support) return Failure{support.error()};
    return AgentTrailer{std::move(*support)};
}

Result<AgentTrailer, TrailerFailure> parseAgentTrailer(ByteView file) {
    auto json = verifiedTrailerJson(file);
    if (!json) return Failure{json.error()};
    return parseAgentTrailerJson(*json);
}

Result<AgentTrailer, TrailerFailure> readAgentTrailer(const std::string& path) {
    auto json = readVerifiedTrailerJson(path);
    if (!json) return Failure{json.error()};
    return parseAgentTrailerJson(*json);
}

}  // namespace guru::support
