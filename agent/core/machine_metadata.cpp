// Machine metadata: limits, JSON and --reconfigure edits (machine_metadata.h).
#include "core/machine_metadata.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace guru::inventory {
namespace {

using nlohmann::json;
using Fail = Failure<MetadataFailure>;

Fail fail(MetadataError e, std::string_view field) { return Fail{MetadataFailure{e, std::string(field)}}; }

// Code points of UTF-8 text (nlohmann's parser has checked it is valid).
std::size_t codePoints(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool hasControl(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

std::optional<MetadataFailure> checkText(std::string_view value, std::string_view field) {
    if (codePoints(value) > kMaxMetadataChars) return MetadataFailure{MetadataError::TooLong, std::string(field)};
    if (hasControl(value)) return MetadataFailure{MetadataError::ControlCharacter, std::string(field)};
    return std::nullopt;
}

// The string fields by JSON key, in the order toJson writes them.
template <typename Metadata>
auto textFields(Metadata& m) {
    return std::array<std::pair<const char*, decltype(&m.name)>, 6>{{{"name", &m.name},
                                                                     {"company", &m.company},
                                                                     {"site", &m.site},
                                                                     {"department", &m.department},
                                                                     {"deviceType", &m.deviceType},
                                                                     {"tag", &m.tag}}};
}

}  // namespace

const char* name(MetadataError e) {
    switch (e) {
        case MetadataError::MalformedJson: return "MalformedJson";
        case MetadataError::WrongType: return "WrongType";
        case MetadataError::TooLong: return "TooLong";
        case MetadataError::ControlCharacter: return "ControlCharacter";
        case MetadataError::BadDeviceType: return "BadDeviceType";
        case MetadataError::DuplicateProperty: return "DuplicateProperty";
    }
    return "?";
}

bool isDeviceType(std::string_view type) {
    return type.empty() || type == "workstation" || type == "server" || type == "laptop";
}

std::optional<MetadataFailure> validate(const MachineMetadata& metadata) {
    for (const auto& [key, field] : textFields(metadata)) {
        if (auto bad = checkText(*field, key)) return bad;
    }
    if (!isDeviceType(metadata.deviceType)) return MetadataFailure{MetadataError::BadDeviceType, "deviceType"};
    if (metadata.properties.size() > kMaxProperties) return MetadataFailure{MetadataError::TooLong, "properties"};
    for (std::size_t i = 0; i < metadata.properties.size(); ++i) {
        const auto& [key, value] = metadata.properties[i];
        if (key.empty()) return MetadataFailure{MetadataError::WrongType, "properties"};
        if (auto bad = checkText(key, "properties")) return bad;
        if (auto bad = checkText(value, "properties")) return bad;
        for (std::size_t j = 0; j < i; ++j) {
            if (metadata.properties[j].first == key) return MetadataFailure{MetadataError::DuplicateProperty, key};
        }
    }
    return std::nullopt;
}

std::string toJson(const MachineMetadata& metadata) {
    json out = json::object();
    for (const auto& [key, field] : textFields(metadata)) out[key] = *field;
    json properties = json::object();
    for (const auto& [key, value] : metadata.properties) properties[key] = value;
    out["properties"] = std::move(properties);
    // Invalid UTF-8 (never from our own parser) is replaced rather than thrown on.
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<MachineMetadata, MetadataFailure> metadataFromJson(std::string_view text) {
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(MetadataError::MalformedJson, "metadata");
    MachineMetadata m;
    for (const auto& [key, field] : textFields(m)) {
        auto it = doc.find(key);
        if (it == doc.end() || it->is_null()) continue;
        if (!it->is_string()) return fail(MetadataError::WrongType, key);
        *field = it->get<std::string>();
    }
    if (auto it = doc.find("properties"); it != doc.end() && !it->is_null()) {
        if (!it->is_object()) return fail(MetadataError::WrongType, "properties");
        if (it->size() > kMaxProperties) return fail(MetadataError::TooLong, "properties");
        for (const auto& [key, value] : it->items()) {
            if (!value.is_string()) return fail(MetadataError::WrongType, "properties");
            m.properties.emplace_back(key, value.get<std::string>());
        }
    }
    if (auto bad = validate(m)) return Fail{*bad};
    return m;
}

bool MetadataEdit::empty() const {
    return !name && !company && !site && !department && !deviceType && !tag;
}

Result<MachineMetadata, MetadataFailure> applyEdit(MachineMetadata metadata, const MetadataEdit& edit) {
    const std::pair<const std::optional<std::string>*, std::string*> edits[] = {
        {&edit.name, &metadata.name},     {&edit.company, &metadata.company},
        {&edit.site, &metadata.site},     {&edit.department, &metadata.department},
        {&edit.deviceType, &metadata.deviceType}, {&edit.tag, &metadata.tag}};
    for (const auto& [from, to] : edits) {
        if (*from) *to = **from;
    }
    if (auto bad = validate(metadata)) return Fail{*bad};
    return metadata;
}

}  // namespace guru::inventory
