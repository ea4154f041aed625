// POSIX TCP connect with timeout and cancellation, TCP_NODELAY, poll-based waiting.
#include "platform/posix/tcp_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

namespace guru::platform::posix {

namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoFree {
    void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

// Polls in short slices so that a cancel flag is honoured promptly.
Outcome<TransportError> pollFor(int fd, short events, std::chrono::milliseconds timeout,
                                const std::atomic<bool>* cancel, short* revents) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (cancel && cancel->load()) return Failure{TransportError::Interrupted};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Failure{TransportError::Timeout};
        if (cancel && left > std::chrono::milliseconds(200)) left = std::chrono::milliseconds(200);
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
        if (rc < 0) {
            if (errno == EINTR) continue;
            return Failure{TransportError::SystemError};
        }
        if (rc > 0) {
            *revents = p.revents;
            return Unit{};
        }
    }
}

}  // namespace

TcpSocket::~TcpSocket() {
    if (fd_ >= 0) ::close(fd_);
}

Result<TcpSocket, TransportError> TcpSocket::connect(const TransportOptions& options,
                                                     const std::atomic<bool>* cancel) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* raw = nullptr;
    const std::string port = std::to_string(options.port);
    if (::getaddrinfo(options.host.c_str(), port.c_str(), &hints, &raw) != 0 || !raw) {
        return Failure{TransportError::ResolveFailed};
    }
    std::unique_ptr<addrinfo, AddrInfoFree> list(raw);
    TransportError last = TransportError::ConnectFailed;
    const auto deadline = Clock::now() + options.connectTimeout;
    for (addrinfo* a = list.get(); a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                a->ai_protocol);
        if (fd < 0) continue;
        TcpSocket socket(fd);
        const int one = 1;
        // Input and small control messages must not wait for Nagle's algorithm.
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return socket;
        if (errno != EINPROGRESS) continue;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        short revents = 0;
        auto waited = pollFor(fd, POLLOUT, left, cancel, &revents);
        if (!waited) {
            last = waited.error();
            if (last == TransportError::Interrupted || last == TransportError::Timeout) break;
            continue;
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) return socket;
    }
    return Failure{last};
}

Outcome<TransportError> TcpSocket::wait(short events, std::chrono::milliseconds timeout,
                                        const std::atomic<bool>* cancel) const {
    if (shutDown_.load()) return Failure{TransportError::Interrupted};
    short revents = 0;
    auto r = pollFor(fd_, events, timeout, cancel, &revents);
    if (!r) return r;
    if (shutDown_.load()) return Failure{TransportError::Interrupted};
    return Unit{};  // readiness, hang-up and errors all surface on the next read or write
}

void TcpSocket::shutdown() {
    shutDown_.store(true);
    ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace guru::platform::posix
