// The Windows snapshot's sections that have files of their own.
#pragma once

#include <windows.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "platform/system_snapshot.h"

namespace guru::platform::win32 {

/// A REG_SZ value under HKLM (at most 511 characters), or nothing.
std::optional<std::wstring> machineString(const wchar_t* key, const wchar_t* name);

/// "10.0.19045" from ntdll's RtlGetVersion (GetVersionEx lies to programs without a manifest);
/// the build number into `build`.
std::string kernelVersion(DWORD& build);

/// CurrentVersion's ProductName ("Windows 10 Pro"), "Windows 11" from build 22000 on.
std::string windowsProductName(DWORD build);

/// GetAdaptersAddresses: interfaces with their addresses, MACs and OperStatus, the gateways
/// and the DNS servers (win32_network_section.cpp).
Section<NetworkSection> networkSection();

/// The System event log's Critical and Error events (Level 1-2), newest first, through
/// wevtapi.dll loaded at run time (win32_event_log.cpp).
Section<std::vector<LogEntry>> systemLogErrors(std::size_t limit);

}  // namespace guru::platform::win32
