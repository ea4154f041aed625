// The machine's inventory, as an enrolled agent reports it in AgentInventory (docs/protocol.md
// §2.6): one struct per part of the JSON, the JSON itself (escaped, each string ≤ 255 bytes,
// each list ≤ 64 entries, the whole ≤ 65,536 bytes) and the rule for "it changed". Pure: the
// collectors that fill it live behind platform/inventory.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/machine_metadata.h"

namespace guru::inventory {

/// Longest string in the JSON, in bytes (cut at a character boundary).
inline constexpr std::size_t kMaxStringBytes = 255;
/// Most entries of any list (disks, network, an adapter's addresses, properties).
inline constexpr std::size_t kMaxListEntries = 64;
/// Longest custom property name, in bytes; longer (and empty) names are not reported.
inline constexpr std::size_t kMaxPropertyNameBytes = 64;
/// Largest JSON, in bytes (the envelope's kMaxInventoryJson).
inline constexpr std::size_t kMaxJsonBytes = 65536;

/// The operating system.
struct OsInfo {
    std::string name;     // "Windows 11 Pro", "Debian GNU/Linux 12 (bookworm)"
    std::string version;  // "10.0.22631", "12"
    std::string build;    // "22631", the kernel release on Linux
    std::optional<std::int64_t> installDate;  // Unix seconds
    bool operator==(const OsInfo&) const = default;
};

/// The machine itself (SMBIOS on Windows, /sys/class/dmi/id on Linux).
struct Hardware {
    std::string manufacturer;
    std::string model;
    std::string serial;
    std::string serviceTag;  // the chassis serial or asset tag
    bool operator==(const Hardware&) const = default;
};

/// The processor.
struct Cpu {
    std::string model;
    std::optional<std::uint32_t> cores;    // physical cores
    std::optional<std::uint32_t> threads;  // logical processors
    bool operator==(const Cpu&) const = default;
};

/// Physical memory, in bytes.
struct Memory {
    std::uint64_t totalBytes = 0;
    std::optional<std::uint64_t> availableBytes;
    bool operator==(const Memory&) const = default;
};

/// One local file system or fixed drive.
struct Disk {
    std::string mount;  // "/", "C:\"
    std::uint64_t totalBytes = 0;
    std::uint64_t freeBytes = 0;
    bool operator==(const Disk&) const = default;
};

/// One network adapter.
struct NetworkAdapter {
    std::string name;
    std::string mac;                     // "00:11:22:33:44:55", lower case; "" for none
    std::vector<std::string> addresses;  // with prefix length: "192.168.1.45/24", "fe80::1/64"
    bool operator==(const NetworkAdapter&) const = default;
};

/// Who is logged on at the console (or graphical seat), and since when idle.
struct User {
    std::string name;
    std::optional<std::uint64_t> idleSeconds;
    bool operator==(const User&) const = default;
};

/// Everything one collection found; what the OS could not tell stays empty and is left out.
struct Inventory {
    std::string hostname;
    std::optional<OsInfo> os;
    std::optional<Hardware> hardware;
    std::optional<Cpu> cpu;
    std::optional<Memory> memory;
    std::vector<Disk> disks;
    std::vector<NetworkAdapter> network;
    std::optional<User> user;
    std::optional<std::int64_t> bootTime;  // Unix seconds
    std::string agentVersion;
    MachineMetadata metadata;
    bool operator==(const Inventory&) const = default;
};

/// The AgentInventory JSON: keys in the contract's order, empty parts left out, strings made
/// valid UTF-8 and cut to kMaxStringBytes, lists cut to kMaxListEntries, and, should it still
/// exceed kMaxJsonBytes, network adapters, then disks, then properties dropped from the end.
/// In the metadata block only the fields that are set appear; the block is left out when none is.
std::string toJson(const Inventory& inventory);

/// Whether any metadata field is set.
bool hasMetadata(const MachineMetadata& metadata);

/// `text` made valid UTF-8 (bad bytes become U+FFFD) and cut to at most `maxBytes` bytes at a
/// character boundary.
std::string boundedText(std::string_view text, std::size_t maxBytes = kMaxStringBytes);

/// Below this many idle seconds the user counts as active.
inline constexpr std::uint64_t kIdleAfterSeconds = 300;

/// Whether `now` is worth sending after `sent` was: any difference except the noise of a
/// running machine, which is
/// - available memory moving by less than 10 % of the total;
/// - a disk's free space moving by less than 5 % of its size;
/// - the idle time growing while the user stays idle, or moving while the user stays active
///   (below kIdleAfterSeconds): a report goes out when the user goes idle or comes back;
/// - the boot time moving by less than 120 s (Windows derives it from the uptime).
bool changedMeaningfully(const Inventory& sent, const Inventory& now);

}  // namespace guru::inventory
