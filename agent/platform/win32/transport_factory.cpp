// The Windows transport factory: Winsock TCP (through the user's proxy if one is set),
// then Schannel when the URL asks for TLS.
#include <cstdio>

#include "platform/win32/schannel_transport.h"
#include "platform/win32/system_proxy.h"

namespace guru::platform {

Result<std::unique_ptr<Transport>, TransportError> connectTransport(
    const TransportOptions& options, const std::atomic<bool>* cancel) {
    const auto proxy = win32::systemProxyFor(options.host, options.tls);
    TransportOptions dial = options;
    if (proxy) {
        dial.host = proxy->host;
        dial.port = proxy->port;
        std::fprintf(stderr, "transport: via proxy %s:%u\n", proxy->host.c_str(), proxy->port);
    }
    const auto deadline = std::chrono::steady_clock::now() + options.connectTimeout;
    auto socket = win32::WinsockSocket::connect(dial, cancel);
    if (!socket) return Failure{socket.error()};
    if (proxy) {
        auto tunnel = win32::openTunnel(*socket, options.host, options.port, deadline, cancel);
        if (!tunnel) return Failure{tunnel.error()};
    }
    if (options.tls) return win32::SchannelTransport::handshake(std::move(*socket), options, cancel);
    return std::unique_ptr<Transport>(
        std::make_unique<win32::WinsockTransport>(std::move(*socket), options.sendTimeout));
}

}  // namespace guru::platform
