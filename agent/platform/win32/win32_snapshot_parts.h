// The Windows snapshot's sections that have files of their own.
#pragma once

#include <cstddef>
#include <vector>

#include "platform/system_snapshot.h"

namespace guru::platform::win32 {

/// GetAdaptersAddresses: interfaces with their addresses, MACs and OperStatus, the gateways
/// and the DNS servers (win32_network_section.cpp).
Section<NetworkSection> networkSection();

/// The System event log's Critical and Error events (Level 1-2), newest first, through
/// wevtapi.dll loaded at run time (win32_event_log.cpp).
Section<std::vector<LogEntry>> systemLogErrors(std::size_t limit);

}  // namespace guru::platform::win32
