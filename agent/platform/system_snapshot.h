// A diagnostics snapshot of the machine (docs/protocol.md §4, DiagnosticsReport): one struct
// per section of the report. Each section is gathered on its own and fails on its own, with a
// reason instead of made-up values. core/diagnostics_report.h turns a snapshot into the JSON;
// the backends are platform/linux/linux_system_snapshot.cpp and
// platform/win32/win32_system_snapshot.cpp (CMake links exactly one).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace guru::platform {

/// Why one section could not be gathered, in words for the technician ("the system log
/// cannot be read: ...").
struct SectionError {
    std::string reason;
};

/// A section's value, or why it is missing.
template <typename T>
using Section = Result<T, SectionError>;

/// The machine and its OS.
struct HostSection {
    std::string name;      // host name
    std::string os;        // "Debian GNU/Linux 12 (bookworm)", "Windows 10 Pro 22H2 (build 19045)"
    std::string kernel;    // "6.1.0-18-amd64", "10.0.19045"
    std::string platform;  // "linux" or "windows"
};

/// The processor and how busy it was over the sampling interval.
struct CpuSection {
    std::string model;
    std::uint32_t logicalCores = 0;
    double usagePercent = 0;  // 0..100, all cores together
};

/// Physical memory and swap (or the page file), in bytes.
struct MemorySection {
    std::uint64_t totalBytes = 0;
    std::uint64_t availableBytes = 0;
    std::uint64_t swapTotalBytes = 0;
    std::uint64_t swapFreeBytes = 0;
};

/// One mounted local file system (Linux) or fixed drive (Windows).
struct Disk {
    std::string mount;       // "/", "C:\"
    std::string fileSystem;  // "ext4", "NTFS"
    std::uint64_t totalBytes = 0;
    std::uint64_t freeBytes = 0;
};

/// One running process and what it used over the sampling interval.
struct ProcessUsage {
    std::uint32_t pid = 0;
    std::string name;
    double cpuPercent = 0;  // of the whole machine (all cores = 100)
    std::uint64_t memoryBytes = 0;  // resident set / working set
};

/// One error from the system log.
struct LogEntry {
    std::chrono::system_clock::time_point time;
    std::string source;   // journal identifier / unit, syslog tag, event provider
    std::string message;  // as the log has it (the report trims it)
};

/// One network interface.
struct NetworkInterface {
    std::string name;
    std::optional<std::string> mac;  // "aa:bb:cc:dd:ee:ff"; none for loopback and tunnels
    bool up = false;
    std::vector<std::string> addresses;  // "192.168.1.5/24", "fe80::1/64"
};

/// Interfaces, default gateways and DNS servers.
struct NetworkSection {
    std::vector<NetworkInterface> interfaces;
    std::vector<std::string> gateways;
    std::vector<std::string> dnsServers;
};

/// Whether the OS waits for a reboot, and who asks for it.
struct PendingRebootSection {
    bool pending = false;
    std::vector<std::string> reasons;
};

/// Everything one collection found.
struct SystemSnapshot {
    std::chrono::system_clock::time_point collectedAt;
    Section<HostSection> host = Failure{SectionError{"not collected"}};
    Section<std::uint64_t> uptimeSeconds = Failure{SectionError{"not collected"}};
    Section<CpuSection> cpu = Failure{SectionError{"not collected"}};
    Section<MemorySection> memory = Failure{SectionError{"not collected"}};
    Section<std::vector<Disk>> disks = Failure{SectionError{"not collected"}};
    Section<std::vector<ProcessUsage>> processes = Failure{SectionError{"not collected"}};  // all of them
    Section<std::vector<LogEntry>> recentErrors = Failure{SectionError{"not collected"}};   // newest first
    Section<NetworkSection> network = Failure{SectionError{"not collected"}};
    Section<PendingRebootSection> pendingReboot = Failure{SectionError{"not collected"}};
};

/// Limits of one collection.
struct SnapshotOptions {
    /// CPU usage (machine and processes) is the difference of two samples this far apart.
    std::chrono::milliseconds sampleInterval{500};
    /// Most log entries read.
    std::size_t maxLogEntries = 50;
    /// Sections not started by then are reported as timed out.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
};

/// Gathers a snapshot of this machine; blocks for about `sampleInterval` and never past the
/// deadline by more than one OS call. Implemented by the one OS backend linked in.
SystemSnapshot collectSystemSnapshot(const SnapshotOptions& options);

}  // namespace guru::platform
