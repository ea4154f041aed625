// Plain TCP transport (ws://) over Winsock. TLS (Schannel) is not written yet.
#pragma once

#include "platform/win32/winsock_socket.h"

namespace guru::platform::win32 {

/// Transport over a bare Winsock TCP socket.
class WinsockTransport final : public Transport {
public:
    WinsockTransport(WinsockSocket socket, std::chrono::milliseconds sendTimeout)
        : socket_(std::move(socket)), sendTimeout_(sendTimeout) {}
    Outcome<TransportError> send(ByteView data) override;
    Result<std::size_t, TransportError> receive(std::span<std::byte> into,
                                                std::chrono::milliseconds timeout) override;
    void interrupt() override { socket_.shutdown(); }

private:
    WinsockSocket socket_;
    std::chrono::milliseconds sendTimeout_;
};

}  // namespace guru::platform::win32
