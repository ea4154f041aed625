// The magic packet and the texts the agent logs about it.
#include "core/wake_on_lan.h"

#include <algorithm>
#include <cstdio>

namespace guru::wol {

MagicPacket magicPacket(const std::array<std::byte, 6>& mac) {
    MagicPacket packet{};
    std::fill_n(packet.begin(), 6, std::byte{0xff});
    for (std::size_t copy = 0; copy < 16; ++copy) std::copy(mac.begin(), mac.end(), packet.begin() + 6 + copy * 6);
    return packet;
}

std::string macText(const std::array<std::byte, 6>& mac) {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", std::to_integer<unsigned>(mac[0]),
                  std::to_integer<unsigned>(mac[1]), std::to_integer<unsigned>(mac[2]), std::to_integer<unsigned>(mac[3]),
                  std::to_integer<unsigned>(mac[4]), std::to_integer<unsigned>(mac[5]));
    return text;
}

std::string ipv4Text(const std::array<std::byte, 4>& a) {
    return std::to_string(std::to_integer<unsigned>(a[0])) + "." + std::to_string(std::to_integer<unsigned>(a[1])) + "." +
           std::to_string(std::to_integer<unsigned>(a[2])) + "." + std::to_string(std::to_integer<unsigned>(a[3]));
}

}  // namespace guru::wol
