// What an MSP says about a machine, beside what the agent measures (FLEET-CONTRACT.md,
// "Inventory JSON" → "metadata"): set in the Build tab's form (baked into the unattended
// trailer), kept in the agent's stored configuration, edited with --reconfigure, and reported
// in every AgentInventory. One JSON shape everywhere:
//   {"name":"","company":"…","site":"…","department":"…","deviceType":"workstation",
//    "tag":"…","properties":{"Asset":"A-17"}}
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace guru::inventory {

/// Longest metadata string, in code points (the server's limit for inventory strings).
inline constexpr std::size_t kMaxMetadataChars = 255;
/// Most custom properties.
inline constexpr std::size_t kMaxProperties = 64;

/// The machine's descriptive fields. Empty strings mean "not set"; an empty `name` means
/// "use the hostname".
struct MachineMetadata {
    std::string name;
    std::string company;
    std::string site;
    std::string department;
    std::string deviceType;  // "", "workstation", "server" or "laptop"
    std::string tag;
    /// Custom properties in the order given; keys are unique.
    std::vector<std::pair<std::string, std::string>> properties;

    bool operator==(const MachineMetadata&) const = default;
};

/// Why a metadata object was refused.
enum class MetadataError : std::uint8_t {
    MalformedJson,  // not JSON, or not an object
    WrongType,      // a known key that is not a string (properties: not an object of strings)
    TooLong,        // a string above kMaxMetadataChars, or more than kMaxProperties properties
    ControlCharacter,
    BadDeviceType,  // not workstation|server|laptop (or empty)
    DuplicateProperty,
};

/// Short stable name for an error.
const char* name(MetadataError e);

/// A refused metadata object: the error and the key it is about.
struct MetadataFailure {
    MetadataError error = MetadataError::MalformedJson;
    std::string field;
};

/// Whether `type` is a device type the server knows ("" included: not set).
bool isDeviceType(std::string_view type);

/// Checks every field's limits; the first failure, or nothing.
std::optional<MetadataFailure> validate(const MachineMetadata& metadata);

/// The metadata as a compact JSON object, every key present (properties as an object).
std::string toJson(const MachineMetadata& metadata);

/// A JSON object text → validated metadata. Missing keys are empty; unknown keys ignored.
Result<MachineMetadata, MetadataFailure> metadataFromJson(std::string_view json);

/// What a metadata reader returns for the running agent: the stored metadata as it is now.
/// The inventory loop calls it at every check-in, so a --reconfigure shows at the next one.
using MetadataSource = std::function<std::optional<MachineMetadata>()>;

/// The edits of one --reconfigure: each set field replaces the stored one ("" clears it).
struct MetadataEdit {
    std::optional<std::string> name;
    std::optional<std::string> company;
    std::optional<std::string> site;
    std::optional<std::string> department;
    std::optional<std::string> deviceType;
    std::optional<std::string> tag;

    /// Whether no field is set.
    bool empty() const;
};

/// `metadata` with `edit` applied, validated (an invalid edit leaves nothing changed).
Result<MachineMetadata, MetadataFailure> applyEdit(MachineMetadata metadata, const MetadataEdit& edit);

}  // namespace guru::inventory
