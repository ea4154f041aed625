// SMBIOS (DMTF DSP0134) as Windows' GetSystemFirmwareTable('RSMB') returns it: the parser
// that finds who made the machine and its serials, kept out of platform/ so it is tested on
// captured tables on every OS. It reads only within the lengths it has checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "core/inventory.h"
#include "core/result.h"

namespace guru::smbios {

/// Why a table could not be read.
enum class SmbiosError : std::uint8_t {
    TooShort,        // fewer bytes than the RawSMBIOSData header (8)
    LengthMismatch,  // the header's table length runs past the data
    Truncated,       // a structure or its strings run past the table
};

/// Short stable name of an error (logs and tests).
const char* name(SmbiosError e);

/// The strings of the System (type 1) and Chassis (type 3) structures; empty when absent.
struct SystemIdentity {
    std::string manufacturer;  // type 1, offset 4
    std::string product;       // type 1, offset 5
    std::string serial;        // type 1, offset 7
    std::string chassisSerial;    // type 3, offset 7
    std::string chassisAssetTag;  // type 3, offset 8
    bool operator==(const SystemIdentity&) const = default;
};

/// The structure table alone (Linux's /sys/firmware/dmi/tables/DMI), up to the end-of-table
/// structure (type 127) or the end of the bytes.
Result<SystemIdentity, SmbiosError> parseTable(ByteView table);

/// RawSMBIOSData: u8 calling method, u8 major, u8 minor, u8 DMI revision, u32 length (little
/// endian), then `length` bytes of table.
Result<SystemIdentity, SmbiosError> parseRawSmbiosData(ByteView data);

/// `text` trimmed of blanks, or "" when it is one of the placeholders firmware leaves in
/// ("To Be Filled By O.E.M.", "Default string", "System Serial Number", "Not Specified", "0"…).
std::string meaningful(std::string_view text);

/// The inventory's hardware from SMBIOS strings (placeholders dropped); the service tag is the
/// chassis serial, else the asset tag.
inventory::Hardware hardwareOf(const SystemIdentity& identity);

}  // namespace guru::smbios
