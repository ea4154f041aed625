// A UDP datagram to a broadcast address: socket(2), SO_BROADCAST, sendto(2).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "platform/wake_on_lan.h"

namespace guru::platform {
namespace {

struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) ::close(fd);
    }
};

SendError failed(const char* call) { return SendError{std::string(call) + ": " + std::strerror(errno)}; }

}  // namespace

Result<Unit, SendError> sendUdpBroadcast(ByteView datagram, const std::array<std::byte, 4>& address, std::uint16_t port) {
    Socket s;
    s.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s.fd < 0) return Failure{failed("socket")};
    const int on = 1;
    if (::setsockopt(s.fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) != 0) return Failure{failed("setsockopt(SO_BROADCAST)")};
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    std::memcpy(&to.sin_addr.s_addr, address.data(), 4);  // already in network order
    const auto sent = ::sendto(s.fd, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (sent < 0) return Failure{failed("sendto")};
    if (static_cast<std::size_t>(sent) != datagram.size()) return Failure{SendError{"sendto: the datagram went out cut short"}};
    return Unit{};
}

}  // namespace guru::platform
