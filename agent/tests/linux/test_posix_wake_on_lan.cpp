// The magic packet sent for real: in a child process inside a network namespace of its own
// (unshare(2): CLONE_NEWNET as root, else with CLONE_NEWUSER), loopback up, a UDP socket bound
// to port 9 receives what sendUdpBroadcast sent to 127.255.255.255. Nothing leaves the test.
#include <doctest/doctest.h>

#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/wake_on_lan.h"
#include "platform/wake_on_lan.h"

using namespace guru;

namespace {

// The child's exit codes.
enum Outcome : int {
    Received = 0,
    NoNamespace = 77,
    NoLoopback = 78,
    NoReceiver = 79,
    SendFailed = 80,
    NothingArrived = 81,
    WrongBytes = 82,
};

bool loopbackUp() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return false;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
    ifr.ifr_flags |= IFF_UP;
    ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
    ::close(fd);
    return ok;
}

int childSendsAndReceives() {
    if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) return NoNamespace;
    if (!loopbackUp()) return NoLoopback;
    const int receiver = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(wol::kPort);
    if (receiver < 0 || ::bind(receiver, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0) return NoReceiver;

    const std::array<std::byte, 6> mac = {std::byte{0x02}, std::byte{0x42}, std::byte{0xac},
                                          std::byte{0x11}, std::byte{0x00}, std::byte{0x07}};
    const auto packet = wol::magicPacket(mac);
    const std::array<std::byte, 4> broadcast = {std::byte{127}, std::byte{255}, std::byte{255}, std::byte{255}};
    if (!platform::sendUdpBroadcast(ByteView(packet.data(), packet.size()), broadcast, wol::kPort)) return SendFailed;

    pollfd p{receiver, POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) return NothingArrived;
    std::array<std::byte, 512> got{};
    const auto n = ::recv(receiver, got.data(), got.size(), 0);
    if (n != static_cast<ssize_t>(packet.size()) || std::memcmp(got.data(), packet.data(), packet.size()) != 0) return WrongBytes;
    return Received;
}

}  // namespace

TEST_CASE("a magic packet to the broadcast address arrives whole on port 9 (inside a network namespace)") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) ::_exit(childSendsAndReceives());
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    const int code = WEXITSTATUS(status);
    if (code == NoNamespace) {
        MESSAGE("no network namespace can be made here (unshare refused): the real send is not tested");
        return;
    }
    CHECK(code == Received);
}

TEST_CASE("an unreachable broadcast address is an error in the OS's words, not a silent success") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // An empty namespace, loopback down: no route to anywhere.
        if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) ::_exit(NoNamespace);
        const std::array<std::byte, 6> mac = {std::byte{2}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{1}};
        const auto packet = wol::magicPacket(mac);
        auto sent = platform::sendUdpBroadcast(ByteView(packet.data(), packet.size()),
                                               {std::byte{10}, std::byte{9}, std::byte{0}, std::byte{255}}, wol::kPort);
        ::_exit(!sent && sent.error().reason.rfind("sendto: ", 0) == 0 ? Received : SendFailed);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) == NoNamespace) return;
    CHECK(WEXITSTATUS(status) == Received);
}
