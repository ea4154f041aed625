// The Linux snapshot: /proc for CPU, memory, uptime and processes, statvfs over the mounted
// local file systems, /etc/os-release and uname for the host; the log and the network have
// their own files. Each section fails on its own, with the OS's words.
#include <dirent.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <thread>

#include "platform/linux/linux_files.h"
#include "platform/linux/linux_network.h"
#include "platform/linux/linux_system_log.h"
#include "platform/linux/proc_text.h"
#include "platform/system_snapshot.h"

namespace guru::platform {
namespace {

using linux_files::readText;

SectionError unreadable(const std::string& path, const std::string& why) {
    return SectionError{path + " cannot be read: " + why};
}

Section<HostSection> host() {
    utsname u{};
    if (::uname(&u) != 0) return Failure{SectionError{std::string("uname failed: ") + std::strerror(errno)}};
    HostSection h;
    h.name = u.nodename;
    h.kernel = u.release;
    h.platform = "linux";
    auto release = readText("/etc/os-release");
    if (!release) release = readText("/usr/lib/os-release");
    h.os = release ? linux_text::parseOsPrettyName(*release) : std::string(u.sysname);
    return h;
}

Section<std::uint64_t> uptime() {
    auto text = readText("/proc/uptime");
    if (!text) return Failure{unreadable("/proc/uptime", text.error())};
    double seconds = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec != std::errc{} || seconds < 0) return Failure{SectionError{"/proc/uptime is not a number"}};
    return static_cast<std::uint64_t>(seconds);
}

Section<MemorySection> memory() {
    auto text = readText("/proc/meminfo");
    if (!text) return Failure{unreadable("/proc/meminfo", text.error())};
    const auto info = linux_text::parseMeminfo(*text);
    const auto value = [&info](const char* key) { auto it = info.find(key); return it == info.end() ? 0 : it->second; };
    if (!info.count("MemTotal")) return Failure{SectionError{"/proc/meminfo has no MemTotal"}};
    MemorySection m;
    m.totalBytes = value("MemTotal");
    // MemAvailable since Linux 3.14; before it, free + cache is the usual estimate.
    m.availableBytes = info.count("MemAvailable") ? value("MemAvailable") : value("MemFree") + value("Cached");
    m.swapTotalBytes = value("SwapTotal");
    m.swapFreeBytes = value("SwapFree");
    return m;
}

/// Every local file system once: bind mounts of one device (a container's /etc/hosts)
/// are the same disk, listed at its shortest mount point.
Section<std::vector<Disk>> disks() {
    auto text = readText("/proc/self/mounts");
    if (!text) return Failure{unreadable("/proc/self/mounts", text.error())};
    std::map<dev_t, Disk> byDevice;
    for (const auto& m : linux_text::parseMounts(*text)) {
        if (!linux_text::isLocalDiskFileSystem(m.type)) continue;
        struct stat st {};
        struct statvfs vfs {};
        if (::stat(m.mountPoint.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;  // file bind mounts too
        if (::statvfs(m.mountPoint.c_str(), &vfs) != 0 || vfs.f_blocks == 0) continue;
        Disk d{m.mountPoint, m.type, std::uint64_t{vfs.f_blocks} * vfs.f_frsize, std::uint64_t{vfs.f_bavail} * vfs.f_frsize};
        auto [it, added] = byDevice.try_emplace(st.st_dev, d);
        if (!added && d.mount.size() < it->second.mount.size()) it->second = d;
    }
    std::vector<Disk> out;
    for (auto& [device, d] : byDevice) out.push_back(std::move(d));
    std::sort(out.begin(), out.end(), [](const Disk& a, const Disk& b) { return a.mount < b.mount; });
    return out;
}

std::optional<linux_text::CpuTimes> cpuTimes() {
    auto text = readText("/proc/stat");
    if (!text) return std::nullopt;
    return linux_text::parseCpuTimes(*text);
}

/// Every process's stat line, by pid.
std::map<std::uint32_t, linux_text::ProcessStat> processStats() {
    std::map<std::uint32_t, linux_text::ProcessStat> out;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir("/proc"), ::closedir);
    if (!dir) return out;
    while (const dirent* e = ::readdir(dir.get())) {
        std::uint32_t pid = 0;
        const std::string_view name(e->d_name);
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (ec != std::errc{} || end != name.data() + name.size() || pid == 0) continue;
        auto text = readText("/proc/" + std::string(name) + "/stat", 4096);
        if (!text) continue;  // gone since readdir, or hidden (hidepid)
        if (auto stat = linux_text::parseProcessStat(*text)) out[pid] = std::move(*stat);
    }
    return out;
}

/// The first of the two samples CPU usage is the difference of.
struct CpuSample {
    std::optional<linux_text::CpuTimes> machine;
    std::map<std::uint32_t, linux_text::ProcessStat> processes;
};

CpuSample sample() { return {cpuTimes(), processStats()}; }

Section<CpuSection> cpu(const CpuSample& before, const CpuSample& after) {
    if (!before.machine || !after.machine) return Failure{SectionError{"/proc/stat cannot be read"}};
    CpuSection c;
    auto info = readText("/proc/cpuinfo");
    c.model = info ? linux_text::parseCpuModel(*info) : std::string();
    if (c.model.empty()) {
        utsname u{};
        if (::uname(&u) == 0) c.model = u.machine;  // better than nothing: "aarch64"
    }
    const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
    c.logicalCores = online > 0 ? static_cast<std::uint32_t>(online) : 1;
    c.usagePercent = linux_text::cpuUsagePercent(*before.machine, *after.machine);
    return c;
}

Section<std::vector<ProcessUsage>> processes(const CpuSample& before, const CpuSample& after) {
    if (after.processes.empty()) return Failure{SectionError{"/proc lists no processes"}};
    const double total = before.machine && after.machine && after.machine->total > before.machine->total
                             ? static_cast<double>(after.machine->total - before.machine->total) : 0;
    const long page = ::sysconf(_SC_PAGESIZE);
    std::vector<ProcessUsage> out;
    for (const auto& [pid, now] : after.processes) {
        ProcessUsage p{pid, now.name, 0, now.residentPages * static_cast<std::uint64_t>(page > 0 ? page : 4096)};
        auto was = before.processes.find(pid);
        // A process born during the interval counts from zero; a reused pid (ticks went down) does not count.
        const std::uint64_t then = was == before.processes.end() ? 0 : was->second.ticks;
        if (total > 0 && now.ticks >= then) p.cpuPercent = std::min(100.0, (now.ticks - then) * 100.0 / total);
        out.push_back(std::move(p));
    }
    return out;
}

Section<PendingRebootSection> pendingReboot() {
    PendingRebootSection out;
    struct stat st {};
    if (::stat("/var/run/reboot-required", &st) != 0) {
        if (errno == ENOENT) return out;
        return Failure{unreadable("/var/run/reboot-required", std::strerror(errno))};
    }
    out.pending = true;
    out.reasons.push_back("/var/run/reboot-required");
    if (auto pkgs = readText("/var/run/reboot-required.pkgs", 64 * 1024)) {
        std::size_t start = 0;
        while (start < pkgs->size()) {
            auto end = pkgs->find('\n', start);
            if (end == std::string::npos) end = pkgs->size();
            std::string name = pkgs->substr(start, end - start);
            if (!name.empty() && std::find(out.reasons.begin(), out.reasons.end(), name) == out.reasons.end())
                out.reasons.push_back(std::move(name));
            start = end + 1;
        }
    }
    return out;
}

}  // namespace

SystemSnapshot collectSystemSnapshot(const SnapshotOptions& options) {
    SystemSnapshot s;
    s.collectedAt = std::chrono::system_clock::now();
    const auto late = [&options] { return std::chrono::steady_clock::now() >= options.deadline; };
    const SectionError timedOut{"the collection ran out of time"};
    // Cheap sections first; the CPU samples bracket the interval.
    const CpuSample before = sample();
    const auto sampledAt = std::chrono::steady_clock::now();
    s.host = host();
    s.uptimeSeconds = uptime();
    s.memory = memory();
    if (!late()) s.disks = disks(); else s.disks = Failure{timedOut};
    if (!late()) s.network = linux_network::collect(); else s.network = Failure{timedOut};
    if (!late()) s.pendingReboot = pendingReboot(); else s.pendingReboot = Failure{timedOut};
    if (!late()) s.recentErrors = linux_log::recentErrors(options.maxLogEntries); else s.recentErrors = Failure{timedOut};
    // The rest of the interval (the sections above took part of it), never past the deadline.
    std::this_thread::sleep_until(std::min(options.deadline, sampledAt + options.sampleInterval));
    const CpuSample after = sample();
    s.cpu = cpu(before, after);
    s.processes = processes(before, after);
    return s;
}

}  // namespace guru::platform
