// The Wake-on-LAN magic packet (AMD's "Magic Packet" white paper): 6 bytes of 0xFF, then the
// target's MAC 16 times, sent as one UDP datagram to the subnet's broadcast address, port 9.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/envelope.h"

namespace guru::wol {

/// Bytes of a magic packet.
inline constexpr std::size_t kMagicPacketSize = 6 + 16 * 6;
/// The UDP port it goes to ("discard").
inline constexpr std::uint16_t kPort = 9;

using MagicPacket = std::array<std::byte, kMagicPacketSize>;

/// The magic packet for `mac`.
MagicPacket magicPacket(const std::array<std::byte, 6>& mac);

/// "00:11:22:33:44:55" (lower case).
std::string macText(const std::array<std::byte, 6>& mac);

/// "192.168.1.255".
std::string ipv4Text(const std::array<std::byte, 4>& address);

}  // namespace guru::wol
