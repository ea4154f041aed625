// A UDP datagram to a broadcast address with Winsock: WSAStartup for this call alone (it
// counts references), SO_BROADCAST, sendto.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <cstring>

#include "platform/wake_on_lan.h"

namespace guru::platform {
namespace {

SendError failed(const char* call) { return SendError{std::string(call) + " failed (WSA error " + std::to_string(WSAGetLastError()) + ")"}; }

// WSAStartup/WSACleanup and the socket, undone in reverse on every return.
struct WinsockUdp {
    bool started = false;
    SOCKET s = INVALID_SOCKET;
    ~WinsockUdp() {
        if (s != INVALID_SOCKET) closesocket(s);
        if (started) WSACleanup();
    }
};

}  // namespace

Result<Unit, SendError> sendUdpBroadcast(ByteView datagram, const std::array<std::byte, 4>& address, std::uint16_t port) {
    WinsockUdp w;
    WSADATA data{};
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return Failure{SendError{"WSAStartup failed"}};
    w.started = true;
    w.s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (w.s == INVALID_SOCKET) return Failure{failed("socket")};
    const BOOL on = TRUE;
    if (setsockopt(w.s, SOL_SOCKET, SO_BROADCAST, reinterpret_cast<const char*>(&on), sizeof on) != 0)
        return Failure{failed("setsockopt(SO_BROADCAST)")};
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    std::memcpy(&to.sin_addr.s_addr, address.data(), 4);  // already in network order
    const int sent = sendto(w.s, reinterpret_cast<const char*>(datagram.data()), static_cast<int>(datagram.size()), 0,
                            reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (sent == SOCKET_ERROR) return Failure{failed("sendto")};
    if (static_cast<std::size_t>(sent) != datagram.size()) return Failure{SendError{"sendto: the datagram went out cut short"}};
    return Unit{};
}

}  // namespace guru::platform
