// The SMBIOS structure walk (DSP0134 §6.1): a 4-byte header (type, formatted length, handle),
// the formatted area, then the string set (NUL-terminated strings, ending with an extra NUL).
#include "core/smbios.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace guru::smbios {
namespace {

constexpr std::uint8_t kSystemType = 1;
constexpr std::uint8_t kChassisType = 3;
constexpr std::uint8_t kEndOfTable = 127;

std::uint8_t byteAt(ByteView b, std::size_t i) { return std::to_integer<std::uint8_t>(b[i]); }

// The `number`th string (1-based) of a string set; "" for 0 or a missing one.
std::string stringAt(ByteView strings, std::uint8_t number) {
    if (number == 0) return {};
    std::size_t start = 0;
    for (std::uint8_t n = 1; start < strings.size(); ++n) {
        std::size_t end = start;
        while (end < strings.size() && byteAt(strings, end) != 0) ++end;
        if (end == start) return {};  // the set's terminating empty string
        if (n == number) return toString(strings.subspan(start, end - start));
        start = end + 1;
    }
    return {};
}

// The string a formatted-area byte at `offset` names, if the structure is long enough to have it.
std::string field(ByteView formatted, std::size_t offset, ByteView strings) {
    if (offset >= formatted.size()) return {};
    return stringAt(strings, byteAt(formatted, offset));
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

const char* name(SmbiosError e) {
    switch (e) {
        case SmbiosError::TooShort: return "TooShort";
        case SmbiosError::LengthMismatch: return "LengthMismatch";
        case SmbiosError::Truncated: return "Truncated";
    }
    return "?";
}

Result<SystemIdentity, SmbiosError> parseTable(ByteView table) {
    SystemIdentity out;
    bool haveSystem = false, haveChassis = false;
    std::size_t at = 0;
    while (at + 4 <= table.size()) {
        const std::uint8_t type = byteAt(table, at);
        const std::uint8_t length = byteAt(table, at + 1);
        if (length < 4 || length > table.size() - at) return Failure{SmbiosError::Truncated};
        const ByteView formatted = table.subspan(at, length);
        // The string set ends at the first double NUL after the formatted area.
        std::size_t end = at + length;
        while (end + 1 < table.size() && !(byteAt(table, end) == 0 && byteAt(table, end + 1) == 0)) ++end;
        if (end + 1 >= table.size()) return Failure{SmbiosError::Truncated};
        const ByteView strings = table.subspan(at + length, end - (at + length) + 1);
        if (type == kSystemType && !haveSystem) {
            haveSystem = true;
            out.manufacturer = field(formatted, 4, strings);
            out.product = field(formatted, 5, strings);
            out.serial = field(formatted, 7, strings);
        } else if (type == kChassisType && !haveChassis) {
            haveChassis = true;
            out.chassisSerial = field(formatted, 7, strings);
            out.chassisAssetTag = field(formatted, 8, strings);
        } else if (type == kEndOfTable) {
            break;
        }
        at = end + 2;
    }
    return out;
}

Result<SystemIdentity, SmbiosError> parseRawSmbiosData(ByteView data) {
    if (data.size() < 8) return Failure{SmbiosError::TooShort};
    const std::uint32_t length = std::uint32_t{byteAt(data, 4)} | std::uint32_t{byteAt(data, 5)} << 8 |
                                 std::uint32_t{byteAt(data, 6)} << 16 | std::uint32_t{byteAt(data, 7)} << 24;
    if (length > data.size() - 8) return Failure{SmbiosError::LengthMismatch};
    return parseTable(data.subspan(8, length));
}

std::string meaningful(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    static constexpr std::array<std::string_view, 16> kPlaceholders = {
        "to be filled by o.e.m.", "default string", "system serial number", "system manufacturer",
        "system product name", "chassis serial number", "not specified", "not applicable", "none", "n/a",
        "0", "00000000", "0123456789", "123456789", "serial number", "asset-1234567890"};
    const std::string folded = lower(text);
    if (std::find(kPlaceholders.begin(), kPlaceholders.end(), folded) != kPlaceholders.end()) return {};
    return std::string(text);
}

inventory::Hardware hardwareOf(const SystemIdentity& id) {
    inventory::Hardware h;
    h.manufacturer = meaningful(id.manufacturer);
    h.model = meaningful(id.product);
    h.serial = meaningful(id.serial);
    h.serviceTag = meaningful(id.chassisSerial);
    if (h.serviceTag.empty()) h.serviceTag = meaningful(id.chassisAssetTag);
    return h;
}

}  // namespace guru::smbios
