// GetAdaptersAddresses (iphlpapi): one call gives the interfaces, their unicast addresses with
// prefix lengths, the physical address, OperStatus, the gateways and the DNS servers.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "platform/win32/win32_snapshot_parts.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {
namespace {

std::optional<std::string> addressText(const SOCKET_ADDRESS& a) {
    if (!a.lpSockaddr) return std::nullopt;
    char buffer[INET6_ADDRSTRLEN] = "";
    const void* raw = nullptr;
    if (a.lpSockaddr->sa_family == AF_INET) raw = &reinterpret_cast<const sockaddr_in*>(a.lpSockaddr)->sin_addr;
    else if (a.lpSockaddr->sa_family == AF_INET6) raw = &reinterpret_cast<const sockaddr_in6*>(a.lpSockaddr)->sin6_addr;
    if (!raw || !inet_ntop(a.lpSockaddr->sa_family, raw, buffer, sizeof buffer)) return std::nullopt;
    return std::string(buffer);
}

void addOnce(std::vector<std::string>& list, std::string value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

}  // namespace

Section<NetworkSection> networkSection() {
    // The documented way: start at 15 KB and grow to what the call asks for (a few tries).
    ULONG size = 15 * 1024;
    std::vector<std::byte> buffer;
    ULONG status = ERROR_BUFFER_OVERFLOW;
    for (int attempt = 0; attempt < 4 && status == ERROR_BUFFER_OVERFLOW; ++attempt) {
        buffer.resize(size);
        status = GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST,
                                      nullptr, reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.data()), &size);
    }
    if (status == ERROR_NO_DATA) return NetworkSection{};
    if (status != NO_ERROR)
        return Failure{SectionError{"GetAdaptersAddresses failed (error " + std::to_string(status) + ")"}};
    NetworkSection out;
    for (auto* a = reinterpret_cast<const IP_ADAPTER_ADDRESSES*>(buffer.data()); a; a = a->Next) {
        NetworkInterface i;
        i.name = a->FriendlyName && *a->FriendlyName ? narrow(a->FriendlyName) : std::string(a->AdapterName ? a->AdapterName : "");
        i.up = a->OperStatus == IfOperStatusUp;
        if (a->PhysicalAddressLength == 6 && a->IfType != IF_TYPE_SOFTWARE_LOOPBACK) {
            char mac[18];
            const auto* p = a->PhysicalAddress;
            std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
            if (std::any_of(p, p + 6, [](BYTE b) { return b != 0; })) i.mac = mac;
        }
        for (auto* u = a->FirstUnicastAddress; u; u = u->Next)
            if (auto text = addressText(u->Address)) i.addresses.push_back(*text + "/" + std::to_string(u->OnLinkPrefixLength));
        for (auto* g = a->FirstGatewayAddress; g; g = g->Next)
            if (auto text = addressText(g->Address)) addOnce(out.gateways, *text);
        for (auto* d = a->FirstDnsServerAddress; d; d = d->Next)
            if (auto text = addressText(d->Address)) addOnce(out.dnsServers, *text);
        out.interfaces.push_back(std::move(i));
    }
    return out;
}

}  // namespace guru::platform::win32
