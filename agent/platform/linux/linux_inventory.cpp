// The Linux inventory: every file read under Sources::root, the rest through the hooks
// (getifaddrs, statvfs, the X screensaver), so a fixture tree stands in for the machine.
#include "platform/linux/linux_inventory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <utmp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>

#include "core/smbios.h"
#include "platform/inventory.h"
#include "platform/linux/linux_files.h"
#include "platform/linux/linux_network.h"
#include "platform/linux/proc_text.h"
#include "platform/x11/x11_idle.h"

namespace guru::platform::linux_inventory {
namespace {

using inventory::Inventory;

std::string joinRoot(const std::string& root, const std::string& path) {
    if (root.empty() || root == "/") return path;
    return (root.back() == '/' ? root.substr(0, root.size() - 1) : root) + path;
}

// A small file's first line, blanks trimmed; "" when it cannot be read.
std::string firstLine(const std::string& path) {
    auto text = linux_files::readText(path, 64 * 1024);
    if (!text) return {};
    std::string line = text->substr(0, text->find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
    return line;
}

std::optional<std::int64_t> birthTime(const std::string& path) {
    struct statx sx {};
    if (::statx(AT_FDCWD, path.c_str(), 0, STATX_BTIME | STATX_MTIME, &sx) != 0) return std::nullopt;
    if (sx.stx_mask & STATX_BTIME) return sx.stx_btime.tv_sec;
    return sx.stx_mtime.tv_sec;  // file systems without birth times: machine-id is written once
}

std::string hostname(const Sources& s) {
    std::string name = firstLine(joinRoot(s.root, "/proc/sys/kernel/hostname"));
    if (name.empty()) {
        char buffer[256] = "";
        if (::gethostname(buffer, sizeof buffer - 1) == 0) name = buffer;
    }
    return name;
}

std::optional<inventory::OsInfo> os(const Sources& s) {
    auto release = linux_files::readText(joinRoot(s.root, "/etc/os-release"));
    if (!release) release = linux_files::readText(joinRoot(s.root, "/usr/lib/os-release"));
    inventory::OsInfo out;
    if (release) {
        out.name = linux_text::parseOsPrettyName(*release);
        auto values = linux_text::parseOsRelease(*release);
        out.version = values["VERSION_ID"];
    }
    out.build = firstLine(joinRoot(s.root, "/proc/sys/kernel/osrelease"));
    out.installDate = birthTime(joinRoot(s.root, "/etc/machine-id"));
    if (out.name.empty() && out.build.empty()) return std::nullopt;
    if (out.name.empty()) out.name = "Linux";
    return out;
}

std::optional<inventory::Hardware> hardware(const Sources& s) {
    const std::string dmi = joinRoot(s.root, "/sys/class/dmi/id/");
    smbios::SystemIdentity id;
    id.manufacturer = firstLine(dmi + "sys_vendor");
    id.product = firstLine(dmi + "product_name");
    id.serial = firstLine(dmi + "product_serial");  // readable by root only
    id.chassisSerial = firstLine(dmi + "chassis_serial");
    id.chassisAssetTag = firstLine(dmi + "chassis_asset_tag");
    auto h = smbios::hardwareOf(id);
    if (h == inventory::Hardware{}) return std::nullopt;
    return h;
}

std::optional<inventory::Cpu> cpu(const Sources& s) {
    auto text = linux_files::readText(joinRoot(s.root, "/proc/cpuinfo"));
    if (!text) return std::nullopt;
    const auto counts = linux_text::parseCpuCounts(*text);
    inventory::Cpu out;
    out.model = linux_text::parseCpuModel(*text);
    if (counts.threads > 0) {
        out.threads = counts.threads;
        out.cores = counts.cores;
    }
    return out;
}

std::optional<inventory::Memory> memory(const Sources& s) {
    auto text = linux_files::readText(joinRoot(s.root, "/proc/meminfo"));
    if (!text) return std::nullopt;
    const auto info = linux_text::parseMeminfo(*text);
    auto total = info.find("MemTotal");
    if (total == info.end()) return std::nullopt;
    inventory::Memory out{total->second, std::nullopt};
    if (auto available = info.find("MemAvailable"); available != info.end()) out.availableBytes = available->second;
    return out;
}

// Each local file system once, at its shortest mount point (bind mounts share the device).
std::vector<inventory::Disk> disks(const Sources& s) {
    auto text = linux_files::readText(joinRoot(s.root, "/proc/mounts"));
    if (!text) text = linux_files::readText(joinRoot(s.root, "/proc/self/mounts"));
    if (!text || !s.diskUsage) return {};
    std::map<std::uint64_t, inventory::Disk> byDevice;
    for (const auto& m : linux_text::parseMounts(*text)) {
        if (!linux_text::isLocalDiskFileSystem(m.type)) continue;
        auto usage = s.diskUsage(m.mountPoint);
        if (!usage || usage->totalBytes == 0) continue;
        inventory::Disk d{m.mountPoint, usage->totalBytes, usage->freeBytes};
        auto [it, added] = byDevice.try_emplace(usage->device, d);
        if (!added && d.mount.size() < it->second.mount.size()) it->second = d;
    }
    std::vector<inventory::Disk> out;
    for (auto& [device, d] : byDevice) out.push_back(std::move(d));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.mount < b.mount; });
    return out;
}

std::vector<inventory::NetworkAdapter> network(const Sources& s) {
    if (!s.adapters) return {};
    auto adapters = s.adapters();
    for (auto& a : adapters) {
        if (a.mac.empty()) {
            std::string mac = firstLine(joinRoot(s.root, "/sys/class/net/" + a.name + "/address"));
            if (mac.size() == 17 && mac != "00:00:00:00:00:00") a.mac = mac;
        }
        std::transform(a.mac.begin(), a.mac.end(), a.mac.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    // Loopback says nothing about the machine's place on a network.
    std::erase_if(adapters, [](const auto& a) { return a.name == "lo"; });
    return adapters;
}

std::string fixedText(const char* field, std::size_t size) { return std::string(field, strnlen(field, size)); }

// The console user from utmp: a USER_PROCESS whose process still runs (stale entries stay
// after a crash), on the graphical seat (":0") first, else the newest login.
std::optional<inventory::User> user(const Sources& s) {
    auto text = linux_files::readText(joinRoot(s.root, "/run/utmp"), 1024 * 1024);
    if (!text) text = linux_files::readText(joinRoot(s.root, "/var/run/utmp"), 1024 * 1024);
    if (!text) return std::nullopt;
    std::optional<utmp> best;
    const auto graphical = [](const utmp& u) { return u.ut_line[0] == ':' || u.ut_host[0] == ':'; };
    for (std::size_t at = 0; at + sizeof(utmp) <= text->size(); at += sizeof(utmp)) {
        utmp u{};
        std::memcpy(&u, text->data() + at, sizeof u);
        if (u.ut_type != USER_PROCESS || u.ut_user[0] == '\0') continue;
        struct stat st {};
        if (::stat(joinRoot(s.root, "/proc/" + std::to_string(u.ut_pid)).c_str(), &st) != 0) continue;
        if (!best || (graphical(u) && !graphical(*best)) ||
            (graphical(u) == graphical(*best) && u.ut_tv.tv_sec > best->ut_tv.tv_sec)) {
            best = u;
        }
    }
    if (!best) return std::nullopt;
    inventory::User out{fixedText(best->ut_user, sizeof best->ut_user), std::nullopt};
    if (s.displayIdleSeconds) out.idleSeconds = s.displayIdleSeconds();
    if (!out.idleSeconds && s.now) {
        // As w(1) does: the terminal's last input is its atime.
        struct stat st {};
        const std::string tty = joinRoot(s.root, "/dev/" + fixedText(best->ut_line, sizeof best->ut_line));
        if (best->ut_line[0] != ':' && ::stat(tty.c_str(), &st) == 0) {
            const std::int64_t idle = s.now() - st.st_atim.tv_sec;
            out.idleSeconds = static_cast<std::uint64_t>(std::max<std::int64_t>(idle, 0));
        }
    }
    return out;
}

std::optional<std::int64_t> bootTime(const Sources& s) {
    auto text = linux_files::readText(joinRoot(s.root, "/proc/stat"));
    if (!text) return std::nullopt;
    return linux_text::parseBootTime(*text);
}

std::vector<inventory::NetworkAdapter> machineAdapters() {
    auto section = linux_network::collect();
    if (!section) return {};
    std::vector<inventory::NetworkAdapter> out;
    for (auto& i : section->interfaces) out.push_back({i.name, i.mac.value_or(""), std::move(i.addresses)});
    return out;
}

}  // namespace

Sources machineSources(std::string root) {
    Sources s;
    s.adapters = machineAdapters;
    s.diskUsage = [root](const std::string& mountPoint) -> std::optional<DiskUsage> {
        const std::string path = joinRoot(root, mountPoint);
        struct stat st {};
        struct statvfs vfs {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return std::nullopt;  // file bind mounts too
        if (::statvfs(path.c_str(), &vfs) != 0) return std::nullopt;
        return DiskUsage{static_cast<std::uint64_t>(st.st_dev), std::uint64_t{vfs.f_blocks} * vfs.f_frsize,
                         std::uint64_t{vfs.f_bavail} * vfs.f_frsize};
    };
    s.displayIdleSeconds = x11::displayIdleSeconds;
    s.now = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    };
    s.root = std::move(root);
    return s;
}

Inventory collect(const Sources& s) {
    Inventory inv;
    inv.hostname = hostname(s);
    inv.os = os(s);
    inv.hardware = hardware(s);
    inv.cpu = cpu(s);
    inv.memory = memory(s);
    inv.disks = disks(s);
    inv.network = network(s);
    inv.user = user(s);
    inv.bootTime = bootTime(s);
    return inv;
}

}  // namespace guru::platform::linux_inventory

namespace guru::platform {

inventory::Inventory collectInventory() { return linux_inventory::collect(linux_inventory::machineSources()); }

}  // namespace guru::platform
