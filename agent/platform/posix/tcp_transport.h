// Plain TCP transport (ws://): loopback, tests, and servers behind a TLS-terminating proxy.
#pragma once

#include "platform/posix/tcp_socket.h"

namespace guru::platform::posix {

/// Transport over a bare TCP socket.
class TcpTransport final : public Transport {
public:
    TcpTransport(TcpSocket socket, std::chrono::milliseconds sendTimeout)
        : socket_(std::move(socket)), sendTimeout_(sendTimeout) {}
    Outcome<TransportError> send(ByteView data) override;
    Result<std::size_t, TransportError> receive(std::span<std::byte> into,
                                                std::chrono::milliseconds timeout) override;
    void interrupt() override { socket_.shutdown(); }

private:
    TcpSocket socket_;
    std::chrono::milliseconds sendTimeout_;
};

}  // namespace guru::platform::posix
