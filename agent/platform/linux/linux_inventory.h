// The Linux inventory collector, reading every file under a root directory so the tests can
// point it at a fixture tree (agent/tests/fixtures/inventory/linux) instead of this machine.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory.h"

namespace guru::platform::linux_inventory {

/// Size and free space of one mounted file system, and the device it is on.
struct DiskUsage {
    std::uint64_t device = 0;
    std::uint64_t totalBytes = 0;
    std::uint64_t freeBytes = 0;
};

/// Where the collector reads from; each hook defaults to this machine.
struct Sources {
    /// Prefix of /sys, /proc, /etc, /run and /dev ("/" for the machine itself).
    std::string root = "/";
    /// getifaddrs(3) with the MAC from AF_PACKET (else /sys/class/net/NAME/address under root).
    std::function<std::vector<inventory::NetworkAdapter>()> adapters;
    /// stat + statvfs of a mount point (given as the mounts file has it, without the root).
    std::function<std::optional<DiskUsage>(const std::string& mountPoint)> diskUsage;
    /// Idle seconds of the X display (XScreenSaverQueryInfo); nothing without a display.
    std::function<std::optional<std::uint64_t>()> displayIdleSeconds;
    /// Unix seconds now (the tty idle time is measured against it).
    std::function<std::int64_t()> now;
};

/// The hooks of this machine, with `root` as given.
Sources machineSources(std::string root = "/");

/// Collects from `sources`: hostname (proc/sys/kernel/hostname), os (etc/os-release, the kernel
/// release, etc/machine-id's birth as the install date), hardware (sys/class/dmi/id), cpu
/// (proc/cpuinfo), memory (proc/meminfo), disks (proc/mounts, local file systems only), network,
/// user (run/utmp: a live USER_PROCESS, the graphical seat first; idle from the display, else
/// from the tty's atime) and bootTime (proc/stat btime).
inventory::Inventory collect(const Sources& sources);

}  // namespace guru::platform::linux_inventory
