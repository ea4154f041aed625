// Collecting the machine's inventory (core/inventory.h holds the struct and its JSON): the
// Linux backend reads /sys/class/dmi/id, /proc, os-release, utmp, getifaddrs and the X
// screensaver extension (platform/linux/linux_inventory.cpp); the Windows one the registry,
// SMBIOS, GetAdaptersAddresses and WTS (platform/win32/win32_inventory.cpp). CMake links one.
#pragma once

#include "core/inventory.h"

namespace guru::platform {

/// This machine's inventory as far as the OS tells it; what it does not tell stays empty.
/// agentVersion and metadata are the caller's. Takes well under a second: network file
/// systems are never asked (a dead server would block the call).
inventory::Inventory collectInventory();

}  // namespace guru::platform
