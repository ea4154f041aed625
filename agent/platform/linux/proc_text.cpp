// The /proc and /etc text formats (proc(5), os-release(5), resolv.conf(5), rsyslog's).
#include "platform/linux/proc_text.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <set>

namespace guru::platform::linux_text {
namespace {

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto end = text.find('\n');
        out.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return out;
}

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        const std::size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

template <typename T>
std::optional<T> number(std::string_view s, int base = 10) {
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::string decodeOctalEscapes(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            const auto code = number<unsigned>(s.substr(i + 1, 3), 8);
            if (code && *code < 256) {
                out.push_back(static_cast<char>(*code));
                i += 3;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

std::string unquote(std::string_view value) {
    value = trim(value);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
        const char quote = value.front();
        value = value.substr(1, value.size() - 2);
        std::string out;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (quote == '"' && value[i] == '\\' && i + 1 < value.size()) ++i;
            out.push_back(value[i]);
        }
        return out;
    }
    return std::string(value);
}

}  // namespace

std::map<std::string, std::uint64_t> parseMeminfo(std::string_view text) {
    std::map<std::string, std::uint64_t> out;
    for (auto line : lines(text)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto parts = fields(line.substr(colon + 1));
        if (parts.empty()) continue;
        auto value = number<std::uint64_t>(parts[0]);
        if (!value) continue;
        if (parts.size() > 1 && parts[1] == "kB") *value *= 1024;
        out[std::string(trim(line.substr(0, colon)))] = *value;
    }
    return out;
}

std::optional<CpuTimes> parseCpuTimes(std::string_view procStat) {
    for (auto line : lines(procStat)) {
        const auto parts = fields(line);
        if (parts.empty() || parts[0] != "cpu") continue;
        if (parts.size() < 5) return std::nullopt;
        CpuTimes t;
        // user nice system idle iowait irq softirq steal; guest and guest_nice are already in user/nice.
        for (std::size_t i = 1; i < parts.size() && i <= 8; ++i) {
            auto v = number<std::uint64_t>(parts[i]);
            if (!v) return std::nullopt;
            t.total += *v;
            if (i == 4 || i == 5) t.idle += *v;
        }
        return t;
    }
    return std::nullopt;
}

double cpuUsagePercent(const CpuTimes& before, const CpuTimes& after) {
    if (after.total <= before.total || after.idle < before.idle) return 0;
    const double total = static_cast<double>(after.total - before.total);
    const double idle = static_cast<double>(after.idle - before.idle);
    return std::clamp((total - idle) * 100.0 / total, 0.0, 100.0);
}

std::optional<ProcessStat> parseProcessStat(std::string_view text) {
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    ProcessStat out;
    out.name = std::string(text.substr(open + 1, close - open - 1));
    // After the name: state (field 3) ... utime (14), stime (15) ... rss (24).
    const auto rest = fields(text.substr(close + 1));
    if (rest.size() < 22) return std::nullopt;
    const auto utime = number<std::uint64_t>(rest[11]), stime = number<std::uint64_t>(rest[12]);
    const auto rss = number<std::int64_t>(rest[21]);
    if (!utime || !stime || !rss) return std::nullopt;
    out.ticks = *utime + *stime;
    out.residentPages = *rss > 0 ? static_cast<std::uint64_t>(*rss) : 0;
    return out;
}

std::string parseCpuModel(std::string_view cpuinfo) {
    std::string fallback;
    for (auto line : lines(cpuinfo)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto key = trim(line.substr(0, colon));
        const auto value = std::string(trim(line.substr(colon + 1)));
        if (key == "model name" && !value.empty()) return value;
        if ((key == "Hardware" || key == "Model" || key == "cpu model") && fallback.empty()) fallback = value;
    }
    return fallback;
}

CpuCounts parseCpuCounts(std::string_view cpuinfo) {
    CpuCounts out;
    std::map<std::string, std::uint32_t> coresByPackage;  // "physical id" → "cpu cores"
    std::string package;
    for (auto line : lines(cpuinfo)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto key = trim(line.substr(0, colon));
        const auto value = trim(line.substr(colon + 1));
        if (key == "processor") {
            ++out.threads;
            package.clear();
        } else if (key == "physical id") {
            package = std::string(value);
        } else if (key == "cpu cores") {
            if (auto n = number<std::uint32_t>(value)) coresByPackage[package] = *n;
        }
    }
    // Without "cpu cores" (most non-x86 kernels, some VMs) each logical processor is a core.
    if (coresByPackage.empty()) {
        out.cores = out.threads;
    } else {
        for (const auto& [id, cores] : coresByPackage) out.cores += cores;
    }
    return out;
}

std::optional<std::int64_t> parseBootTime(std::string_view procStat) {
    for (auto line : lines(procStat)) {
        const auto parts = fields(line);
        if (parts.size() == 2 && parts[0] == "btime") return number<std::int64_t>(parts[1]);
    }
    return std::nullopt;
}

std::map<std::string, std::string> parseOsRelease(std::string_view osRelease) {
    std::map<std::string, std::string> values;
    for (auto line : lines(osRelease)) {
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        values[std::string(line.substr(0, eq))] = unquote(line.substr(eq + 1));
    }
    return values;
}

std::string parseOsPrettyName(std::string_view osRelease) {
    auto values = parseOsRelease(osRelease);
    if (auto it = values.find("PRETTY_NAME"); it != values.end() && !it->second.empty()) return it->second;
    std::string name = values.count("NAME") ? values["NAME"] : "Linux";
    if (values.count("VERSION")) name += " " + values["VERSION"];
    return name;
}

std::vector<MountEntry> parseMounts(std::string_view text) {
    std::vector<MountEntry> out;
    for (auto line : lines(text)) {
        const auto parts = fields(line);
        if (parts.size() < 3) continue;
        out.push_back({decodeOctalEscapes(parts[0]), decodeOctalEscapes(parts[1]), std::string(parts[2])});
    }
    return out;
}

bool isLocalDiskFileSystem(std::string_view type) {
    static const std::set<std::string_view> pseudo = {
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "securityfs", "debugfs",
        "tracefs", "pstore", "bpf", "mqueue", "hugetlbfs", "fusectl", "configfs", "autofs", "binfmt_misc",
        "nsfs", "efivarfs", "rpc_pipefs", "selinuxfs", "squashfs", "iso9660", "fuse.gvfsd-fuse", "fuse.portal",
        "fuse.lxcfs", "overlayfs-meta", "none", "swap",
        // Network file systems: not local, and statvfs on a dead server can hang.
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "fuse.sshfs", "sshfs", "ceph", "glusterfs",
        "fuse.glusterfs", "davfs", "fuse.rclone", "lustre"};
    return !type.empty() && !pseudo.count(type);
}

std::vector<std::string> parseIpv4DefaultGateways(std::string_view procNetRoute) {
    std::vector<std::string> out;
    for (auto line : lines(procNetRoute)) {
        const auto parts = fields(line);
        // Iface Destination Gateway Flags ...; the header line fails the number parse.
        if (parts.size() < 4 || parts[1] != "00000000") continue;
        const auto gateway = number<std::uint32_t>(parts[2], 16);
        const auto flags = number<unsigned>(parts[3], 16);
        if (!gateway || !flags || !(*flags & 0x2) || *gateway == 0) continue;  // RTF_GATEWAY
        in_addr a{};
        a.s_addr = *gateway;  // already in network byte order, printed as a host-order number
        std::array<char, INET_ADDRSTRLEN> buffer{};
        if (inet_ntop(AF_INET, &a, buffer.data(), buffer.size())) {
            std::string text(buffer.data());
            if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
        }
    }
    return out;
}

std::vector<std::string> parseIpv6DefaultGateways(std::string_view procNetIpv6Route) {
    std::vector<std::string> out;
    for (auto line : lines(procNetIpv6Route)) {
        const auto parts = fields(line);
        // dest dest_prefix src src_prefix next_hop metric refcnt use flags iface
        if (parts.size() < 10 || parts[0] != std::string(32, '0') || parts[1] != "00") continue;
        if (parts[4].size() != 32 || parts[4] == std::string(32, '0')) continue;
        in6_addr a{};
        bool ok = true;
        for (std::size_t i = 0; i < 16 && ok; ++i) {
            auto byte = number<unsigned>(parts[4].substr(i * 2, 2), 16);
            ok = byte.has_value();
            if (ok) a.s6_addr[i] = static_cast<std::uint8_t>(*byte);
        }
        std::array<char, INET6_ADDRSTRLEN> buffer{};
        if (ok && inet_ntop(AF_INET6, &a, buffer.data(), buffer.size())) {
            std::string text = std::string(buffer.data()) + "%" + std::string(parts[9]);
            if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
        }
    }
    return out;
}

std::vector<std::string> parseNameservers(std::string_view resolvConf) {
    std::vector<std::string> out;
    for (auto line : lines(resolvConf)) {
        const auto parts = fields(line);
        if (parts.size() >= 2 && parts[0] == "nameserver") out.emplace_back(parts[1]);
    }
    return out;
}

std::optional<SyslogLine> parseSyslogLine(std::string_view line, int year) {
    const auto parts = fields(line);
    if (parts.size() < 3) return std::nullopt;
    std::tm tm{};
    std::size_t used = 0;  // fields taken by the time stamp
    std::chrono::seconds offset{0};
    bool utc = false;
    if (parts[0].size() >= 19 && parts[0][4] == '-' && parts[0][10] == 'T') {
        const std::string stamp(parts[0]);
        if (!strptime(stamp.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return std::nullopt;
        auto zone = stamp.find_first_of("Z+-", 19);
        if (zone != std::string::npos && stamp[zone] != 'Z') {
            const int sign = stamp[zone] == '-' ? -1 : 1;
            const auto hours = number<int>(std::string_view(stamp).substr(zone + 1, 2));
            const auto minutes = number<int>(std::string_view(stamp).substr(zone + 4, 2));
            if (!hours || !minutes) return std::nullopt;
            offset = std::chrono::seconds(sign * (*hours * 3600 + *minutes * 60));
        }
        utc = zone != std::string::npos;
        used = 1;
    } else {
        if (parts.size() < 5) return std::nullopt;
        const std::string stamp = std::string(parts[0]) + " " + std::string(parts[1]) + " " + std::string(parts[2]);
        if (!strptime(stamp.c_str(), "%b %d %H:%M:%S", &tm)) return std::nullopt;
        tm.tm_year = year - 1900;
        used = 3;
    }
    if (parts.size() < used + 2) return std::nullopt;
    std::chrono::system_clock::time_point time;
    if (utc) {
        time = std::chrono::system_clock::from_time_t(timegm(&tm)) - offset;
    } else {
        tm.tm_isdst = -1;
        time = std::chrono::system_clock::from_time_t(mktime(&tm));
    }
    // host, then "tag[pid]:" and the message (the rest of the line, spaces kept).
    std::string tag(parts[used + 1]);
    if (!tag.empty() && tag.back() == ':') tag.pop_back();
    if (auto bracket = tag.find('['); bracket != std::string::npos) tag.resize(bracket);
    const auto tagAt = line.find(parts[used + 1]);
    const auto message = trim(line.substr(tagAt + parts[used + 1].size()));
    return SyslogLine{time, tag, std::string(message)};
}

bool looksLikeError(std::string_view message) {
    std::string lower(message);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* word : {"error", "fail", "critical", "panic", "segfault", "oops", "emerg", "alert"})
        if (lower.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace guru::platform::linux_text
