// Parsers for the text files the Linux snapshot reads (/proc, /etc): pure functions over the
// file's contents, so the tests can feed them fixed text as well as the real files.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guru::platform::linux_text {

/// /proc/meminfo: each "Key:   123 kB" as bytes (values without a unit as they are).
std::map<std::string, std::uint64_t> parseMeminfo(std::string_view text);

/// The "cpu " line of /proc/stat: all jiffies and the idle ones (idle + iowait).
struct CpuTimes {
    std::uint64_t total = 0;
    std::uint64_t idle = 0;
};
std::optional<CpuTimes> parseCpuTimes(std::string_view procStat);

/// Busy share of the machine between two /proc/stat samples, 0..100.
double cpuUsagePercent(const CpuTimes& before, const CpuTimes& after);

/// /proc/[pid]/stat: the command name (between the first '(' and the last ')', so a name
/// holding ") " still parses), utime + stime in clock ticks and the resident pages.
struct ProcessStat {
    std::string name;
    std::uint64_t ticks = 0;
    std::uint64_t residentPages = 0;
};
std::optional<ProcessStat> parseProcessStat(std::string_view text);

/// The first "model name" (x86) or "Hardware"/"Model"/"cpu model" (other architectures) of /proc/cpuinfo.
std::string parseCpuModel(std::string_view cpuinfo);

/// Logical processors ("processor" lines) and physical cores ("cpu cores" per distinct
/// "physical id"; the logical count where the kernel does not say) of /proc/cpuinfo.
struct CpuCounts {
    std::uint32_t cores = 0;
    std::uint32_t threads = 0;
};
CpuCounts parseCpuCounts(std::string_view cpuinfo);

/// The "btime" of /proc/stat: when the machine booted, in Unix seconds.
std::optional<std::int64_t> parseBootTime(std::string_view procStat);

/// /etc/os-release's KEY=value lines, values unquoted.
std::map<std::string, std::string> parseOsRelease(std::string_view osRelease);

/// /etc/os-release: PRETTY_NAME, else NAME VERSION; quotes and backslash escapes removed.
std::string parseOsPrettyName(std::string_view osRelease);

/// One line of /proc/self/mounts (octal escapes such as \040 decoded).
struct MountEntry {
    std::string source, mountPoint, type;
};
std::vector<MountEntry> parseMounts(std::string_view text);

/// True for file systems that hold files on a local disk (ext4, xfs, btrfs, vfat, overlay…),
/// false for kernel pseudo file systems, memory-backed ones and network file systems (which
/// could also block a collection on a dead server).
bool isLocalDiskFileSystem(std::string_view type);

/// Default gateways from /proc/net/route (IPv4) and /proc/net/ipv6_route.
std::vector<std::string> parseIpv4DefaultGateways(std::string_view procNetRoute);
std::vector<std::string> parseIpv6DefaultGateways(std::string_view procNetIpv6Route);

/// "nameserver" addresses of /etc/resolv.conf, in order.
std::vector<std::string> parseNameservers(std::string_view resolvConf);

/// One /var/log/syslog line: RFC 3339 ("2026-12-03T20:00:00.123+01:00 host tag[1]: text") or
/// the traditional form ("Dec  3 20:00:00 host tag: text", local time of `year`).
struct SyslogLine {
    std::chrono::system_clock::time_point time;
    std::string source;
    std::string message;
};
std::optional<SyslogLine> parseSyslogLine(std::string_view line, int year);

/// True when a syslog message reads as an error (the file keeps no priority).
bool looksLikeError(std::string_view message);

}  // namespace guru::platform::linux_text
