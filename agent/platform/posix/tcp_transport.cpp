// Plain TCP send/receive over a non-blocking socket.
#include "platform/posix/tcp_transport.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace guru::platform::posix {

namespace {
using Clock = std::chrono::steady_clock;
}

Outcome<TransportError> TcpTransport::send(ByteView data) {
    while (!data.empty()) {
        if (socket_.isShutDown()) return Failure{TransportError::Interrupted};
        const ssize_t n = ::send(socket_.fd(), data.data(), data.size(), MSG_NOSIGNAL);
        if (n > 0) {
            data = data.subspan(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            auto ready = socket_.wait(POLLOUT, sendTimeout_);
            if (!ready) return ready;
            continue;
        }
        return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
    }
    return Unit{};
}

Result<std::size_t, TransportError> TcpTransport::receive(std::span<std::byte> into,
                                                          std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (socket_.isShutDown()) return Failure{TransportError::Interrupted};
        const ssize_t n = ::recv(socket_.fd(), into.data(), into.size(), 0);
        if (n > 0) return static_cast<std::size_t>(n);
        if (n == 0) {
            return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return Failure{TransportError::Closed};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Failure{TransportError::Timeout};
        auto ready = socket_.wait(POLLIN, left);
        if (!ready) return Failure{ready.error()};
    }
}

}  // namespace guru::platform::posix
