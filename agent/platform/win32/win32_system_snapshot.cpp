// The Windows snapshot with what every Windows ships: GlobalMemoryStatusEx, GetTickCount64,
// GetSystemTimes, Toolhelp32 + GetProcessTimes/K32GetProcessMemoryInfo, the fixed drives, the
// registry for the CPU, the OS name and pending reboots. The event log and the network have
// their own files. What Wine returns for each: platform/win32/README.md.
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

#include <algorithm>
#include <map>
#include <thread>

#include "platform/system_snapshot.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_snapshot_parts.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

std::optional<std::wstring> machineString(const wchar_t* key, const wchar_t* name) {
    wchar_t buffer[512];
    DWORD size = sizeof buffer;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_SZ, nullptr, buffer, &size) != ERROR_SUCCESS)
        return std::nullopt;
    return std::wstring(buffer);
}

std::string kernelVersion(DWORD& build) {
    using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
    OSVERSIONINFOW v{};
    v.dwOSVersionInfoSize = sizeof v;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    auto get = ntdll ? reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion"))) : nullptr;
    if (!get || get(&v) != 0) return {};
    build = v.dwBuildNumber;
    return std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + "." + std::to_string(v.dwBuildNumber);
}

std::string windowsProductName(DWORD build) {
    std::string product = narrow(machineString(L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", L"ProductName").value_or(L"Windows"));
    // ProductName still says "Windows 10" on Windows 11 (build 22000 and later).
    if (build >= 22000 && product.rfind("Windows 10", 0) == 0) product.replace(0, 10, "Windows 11");
    return product;
}

}  // namespace guru::platform::win32

namespace guru::platform {
namespace {

using win32::kernelVersion;
using win32::machineString;
using win32::narrow;

std::uint64_t ticks(const FILETIME& f) { return (std::uint64_t{f.dwHighDateTime} << 32) | f.dwLowDateTime; }

std::string lastError(const char* what) { return std::string(what) + " failed (error " + std::to_string(GetLastError()) + ")"; }


bool machineKeyExists(const wchar_t* key) {
    HKEY h = nullptr;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_READ | KEY_WOW64_64KEY, &h) != ERROR_SUCCESS) return false;
    RegCloseKey(h);
    return true;
}


Section<HostSection> host() {
    HostSection h;
    h.platform = "windows";
    wchar_t name[256];
    DWORD size = 256;
    if (!GetComputerNameExW(ComputerNameDnsHostname, name, &size)) return Failure{SectionError{lastError("GetComputerNameExW")}};
    h.name = narrow(name);
    DWORD build = 0;
    h.kernel = kernelVersion(build);
    const wchar_t* current = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
    const std::string product = win32::windowsProductName(build);
    auto display = machineString(current, L"DisplayVersion");
    if (!display) display = machineString(current, L"ReleaseId");
    const auto currentBuild = machineString(current, L"CurrentBuild");
    h.os = product;
    if (display) h.os += " " + narrow(*display);
    if (currentBuild) h.os += " (build " + narrow(*currentBuild) + ")";
    else if (build) h.os += " (build " + std::to_string(build) + ")";
    return h;
}

Section<MemorySection> memory() {
    MEMORYSTATUSEX m{};
    m.dwLength = sizeof m;
    if (!GlobalMemoryStatusEx(&m)) return Failure{SectionError{lastError("GlobalMemoryStatusEx")}};
    // The page file is the commit limit beyond physical memory.
    const auto beyond = [](DWORDLONG a, DWORDLONG b) { return a > b ? std::uint64_t{a - b} : std::uint64_t{0}; };
    return MemorySection{m.ullTotalPhys, m.ullAvailPhys, beyond(m.ullTotalPageFile, m.ullTotalPhys),
                         beyond(m.ullAvailPageFile, m.ullAvailPhys)};
}

Section<std::vector<Disk>> disks() {
    wchar_t drives[512];
    const DWORD length = GetLogicalDriveStringsW(511, drives);
    if (length == 0 || length > 511) return Failure{SectionError{lastError("GetLogicalDriveStringsW")}};
    std::vector<Disk> out;
    for (const wchar_t* root = drives; *root; root += wcslen(root) + 1) {
        if (GetDriveTypeW(root) != DRIVE_FIXED) continue;
        ULARGE_INTEGER available{}, total{}, free{};
        if (!GetDiskFreeSpaceExW(root, &available, &total, &free)) continue;
        wchar_t fs[MAX_PATH + 1] = L"";
        GetVolumeInformationW(root, nullptr, 0, nullptr, nullptr, nullptr, fs, MAX_PATH + 1);
        out.push_back({narrow(root), narrow(fs), total.QuadPart, free.QuadPart});
    }
    return out;
}

/// Machine-wide busy and total 100-ns ticks (GetSystemTimes: kernel time includes idle).
struct MachineTimes {
    std::uint64_t total = 0, idle = 0;
};

std::optional<MachineTimes> machineTimes() {
    FILETIME idle, kernel, user;
    if (!GetSystemTimes(&idle, &kernel, &user)) return std::nullopt;
    return MachineTimes{ticks(kernel) + ticks(user), ticks(idle)};
}

struct ProcessSample {
    std::string name;
    std::uint64_t cpu = 0;  // kernel + user, 100 ns
    std::uint64_t memory = 0;
    bool timed = false;
};

std::map<std::uint32_t, ProcessSample> processSamples() {
    std::map<std::uint32_t, ProcessSample> out;
    win32::UniqueHandle snap(CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (!snap || snap.get() == INVALID_HANDLE_VALUE) return out;
    PROCESSENTRY32W e{};
    e.dwSize = sizeof e;
    for (BOOL more = Process32FirstW(snap.get(), &e); more; more = Process32NextW(snap.get(), &e)) {
        ProcessSample s;
        s.name = narrow(e.szExeFile);
        win32::UniqueHandle p(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, e.th32ProcessID));
        if (p) {
            FILETIME created, exited, kernel, user;
            if (GetProcessTimes(p.get(), &created, &exited, &kernel, &user)) {
                s.cpu = ticks(kernel) + ticks(user);
                s.timed = true;
            }
            PROCESS_MEMORY_COUNTERS counters{};
            if (K32GetProcessMemoryInfo(p.get(), &counters, sizeof counters)) s.memory = counters.WorkingSetSize;
        }
        out[e.th32ProcessID] = std::move(s);
    }
    return out;
}

struct CpuSample {
    std::optional<MachineTimes> machine;
    std::map<std::uint32_t, ProcessSample> processes;
};

Section<CpuSection> cpu(const CpuSample& before, const CpuSample& after) {
    if (!before.machine || !after.machine) return Failure{SectionError{lastError("GetSystemTimes")}};
    CpuSection c;
    c.model = narrow(machineString(L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", L"ProcessorNameString")
                         .value_or(L""));
    while (!c.model.empty() && c.model.back() == ' ') c.model.pop_back();
    SYSTEM_INFO info{};
    GetNativeSystemInfo(&info);
    c.logicalCores = info.dwNumberOfProcessors;
    const std::uint64_t total = after.machine->total - before.machine->total;
    const std::uint64_t idle = after.machine->idle - before.machine->idle;
    c.usagePercent = total > 0 && idle <= total ? (total - idle) * 100.0 / total : 0;
    return c;
}

Section<std::vector<ProcessUsage>> processes(const CpuSample& before, const CpuSample& after) {
    if (after.processes.empty()) return Failure{SectionError{lastError("CreateToolhelp32Snapshot")}};
    const std::uint64_t total = before.machine && after.machine ? after.machine->total - before.machine->total : 0;
    std::vector<ProcessUsage> out;
    for (const auto& [pid, now] : after.processes) {
        ProcessUsage p{pid, now.name, 0, now.memory};
        auto was = before.processes.find(pid);
        if (total > 0 && now.timed && was != before.processes.end() && was->second.timed && now.cpu >= was->second.cpu)
            p.cpuPercent = std::min(100.0, (now.cpu - was->second.cpu) * 100.0 / total);
        out.push_back(std::move(p));
    }
    return out;
}

Section<PendingRebootSection> pendingReboot() {
    PendingRebootSection out;
    if (machineKeyExists(L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"))
        out.reasons.push_back("Windows Update");
    DWORD size = 0;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\Session Manager",
                     L"PendingFileRenameOperations", RRF_RT_REG_MULTI_SZ, nullptr, nullptr, &size) == ERROR_SUCCESS &&
        size > 2 * sizeof(wchar_t))
        out.reasons.push_back("PendingFileRenameOperations");
    if (machineKeyExists(L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending"))
        out.reasons.push_back("Component Based Servicing");
    out.pending = !out.reasons.empty();
    return out;
}

}  // namespace

SystemSnapshot collectSystemSnapshot(const SnapshotOptions& options) {
    SystemSnapshot s;
    s.collectedAt = std::chrono::system_clock::now();
    const auto late = [&options] { return std::chrono::steady_clock::now() >= options.deadline; };
    const SectionError timedOut{"the collection ran out of time"};
    const CpuSample before{machineTimes(), processSamples()};
    const auto sampledAt = std::chrono::steady_clock::now();
    s.host = host();
    s.uptimeSeconds = std::uint64_t{GetTickCount64() / 1000};
    s.memory = memory();
    if (!late()) s.disks = disks(); else s.disks = Failure{timedOut};
    if (!late()) s.network = win32::networkSection(); else s.network = Failure{timedOut};
    if (!late()) s.pendingReboot = pendingReboot(); else s.pendingReboot = Failure{timedOut};
    if (!late()) s.recentErrors = win32::systemLogErrors(options.maxLogEntries); else s.recentErrors = Failure{timedOut};
    std::this_thread::sleep_until(std::min(options.deadline, sampledAt + options.sampleInterval));
    const CpuSample after{machineTimes(), processSamples()};
    s.cpu = cpu(before, after);
    s.processes = processes(before, after);
    return s;
}

}  // namespace guru::platform
