// getifaddrs(3): addresses with prefix lengths, the MAC from the AF_PACKET entry, IFF_UP;
// gateways from /proc/net/route and ipv6_route; DNS servers from /etc/resolv.conf.
#include "platform/linux/linux_network.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "platform/linux/linux_files.h"
#include "platform/linux/proc_text.h"

namespace guru::platform::linux_network {
namespace {

struct FreeIfaddrs {
    void operator()(ifaddrs* a) const { ::freeifaddrs(a); }
};

int prefixLength(const sockaddr* mask) {
    if (!mask) return -1;
    int bits = 0;
    if (mask->sa_family == AF_INET) {
        bits = std::popcount(reinterpret_cast<const sockaddr_in*>(mask)->sin_addr.s_addr);
    } else if (mask->sa_family == AF_INET6) {
        for (auto byte : reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr.s6_addr) bits += std::popcount(byte);
    } else {
        return -1;
    }
    return bits;
}

std::optional<std::string> addressText(const sockaddr* address, const sockaddr* mask) {
    std::array<char, INET6_ADDRSTRLEN> buffer{};
    const void* raw = nullptr;
    if (address->sa_family == AF_INET) raw = &reinterpret_cast<const sockaddr_in*>(address)->sin_addr;
    else if (address->sa_family == AF_INET6) raw = &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (!raw || !inet_ntop(address->sa_family, raw, buffer.data(), buffer.size())) return std::nullopt;
    std::string text(buffer.data());
    if (const int bits = prefixLength(mask); bits >= 0) text += "/" + std::to_string(bits);
    return text;
}

std::optional<std::string> macText(const sockaddr* address) {
    const auto* ll = reinterpret_cast<const sockaddr_ll*>(address);
    if (ll->sll_halen != 6) return std::nullopt;
    if (std::all_of(ll->sll_addr, ll->sll_addr + 6, [](unsigned char b) { return b == 0; })) return std::nullopt;
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0], ll->sll_addr[1],
                  ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
    return std::string(text);
}

}  // namespace

Section<NetworkSection> collect() {
    ifaddrs* raw = nullptr;
    if (::getifaddrs(&raw) != 0)
        return Failure{SectionError{std::string("the interfaces cannot be listed: ") + std::strerror(errno)}};
    std::unique_ptr<ifaddrs, FreeIfaddrs> list(raw);
    NetworkSection out;
    auto entry = [&out](const char* name) -> NetworkInterface& {
        auto it = std::find_if(out.interfaces.begin(), out.interfaces.end(), [&](const auto& i) { return i.name == name; });
        if (it != out.interfaces.end()) return *it;
        out.interfaces.push_back({name, std::nullopt, false, {}});
        return out.interfaces.back();
    };
    for (const ifaddrs* a = list.get(); a; a = a->ifa_next) {
        if (!a->ifa_name) continue;
        NetworkInterface& i = entry(a->ifa_name);
        i.up = i.up || (a->ifa_flags & IFF_UP);
        if (!a->ifa_addr) continue;
        if (a->ifa_addr->sa_family == AF_PACKET) {
            if (!i.mac) i.mac = macText(a->ifa_addr);
        } else if (auto text = addressText(a->ifa_addr, a->ifa_netmask)) {
            i.addresses.push_back(std::move(*text));
        }
    }
    if (auto route = linux_files::readText("/proc/net/route")) out.gateways = linux_text::parseIpv4DefaultGateways(*route);
    if (auto route = linux_files::readText("/proc/net/ipv6_route")) {
        for (auto& g : linux_text::parseIpv6DefaultGateways(*route)) out.gateways.push_back(std::move(g));
    }
    if (auto resolv = linux_files::readText("/etc/resolv.conf")) out.dnsServers = linux_text::parseNameservers(*resolv);
    return out;
}

}  // namespace guru::platform::linux_network
