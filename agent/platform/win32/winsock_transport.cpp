// send/recv on a non-blocking Winsock socket; WSAEWOULDBLOCK waits in select() slices.
#include "platform/win32/winsock_transport.h"

#include <algorithm>
#include <climits>

namespace guru::platform::win32 {

namespace {
using Clock = std::chrono::steady_clock;
}

Outcome<TransportError> WinsockTransport::send(ByteView data) {
    while (!data.empty()) {
        if (socket_.isShutDown()) return Failure{TransportError::Interrupted};
        const int chunk = static_cast<int>(std::min<std::size_t>(data.size(), INT_MAX));
        const int n = ::send(socket_.get(), reinterpret_cast<const char*>(data.data()), chunk, 0);
        if (n > 0) {
            data = data.subspan(static_cast<std::size_t>(n));
            continue;
        }
        if (n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK) {
            auto ready = socket_.wait(true, sendTimeout_);
            if (!ready) return ready;
            continue;
        }
        return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
    }
    return Unit{};
}

Result<std::size_t, TransportError> WinsockTransport::receive(std::span<std::byte> into,
                                                              std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (socket_.isShutDown()) return Failure{TransportError::Interrupted};
        const int chunk = static_cast<int>(std::min<std::size_t>(into.size(), INT_MAX));
        const int n = ::recv(socket_.get(), reinterpret_cast<char*>(into.data()), chunk, 0);
        if (n > 0) return static_cast<std::size_t>(n);
        if (n == 0) {
            return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
        }
        if (WSAGetLastError() != WSAEWOULDBLOCK) {
            return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Failure{TransportError::Timeout};
        auto ready = socket_.wait(false, left);
        if (!ready) return Failure{ready.error()};
    }
}

}  // namespace guru::platform::win32
