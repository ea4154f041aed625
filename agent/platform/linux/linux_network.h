// The network section of the Linux snapshot.
#pragma once

#include "platform/system_snapshot.h"

namespace guru::platform::linux_network {

/// Interfaces (getifaddrs), default gateways (IPv4 and IPv6) and the resolver's name servers.
Section<NetworkSection> collect();

}  // namespace guru::platform::linux_network
