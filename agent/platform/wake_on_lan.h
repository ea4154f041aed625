// Sending a Wake-on-LAN magic packet (core/wake_on_lan.h builds it): one UDP datagram with
// SO_BROADCAST. posix/posix_wake_on_lan.cpp and win32/win32_wake_on_lan.cpp; CMake links one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::platform {

/// Why a datagram did not go out, in the OS's words ("sendto: Network is unreachable").
struct SendError {
    std::string reason;
};

/// Sends `datagram` to the IPv4 `address` (network order) and `port` from a fresh UDP socket
/// that may broadcast. Returns once the OS took it (UDP: no delivery is known).
Result<Unit, SendError> sendUdpBroadcast(ByteView datagram, const std::array<std::byte, 4>& address, std::uint16_t port);

}  // namespace guru::platform
