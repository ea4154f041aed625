// The POSIX transport factory: TCP, then GnuTLS when the URL asks for TLS.
#include "platform/posix/gnutls_transport.h"
#include "platform/posix/tcp_transport.h"

namespace guru::platform {

Result<std::unique_ptr<Transport>, TransportError> connectTransport(
    const TransportOptions& options, const std::atomic<bool>* cancel) {
    auto socket = posix::TcpSocket::connect(options, cancel);
    if (!socket) return Failure{socket.error()};
    if (options.tls) return posix::GnutlsTransport::handshake(std::move(*socket), options, cancel);
    return std::unique_ptr<Transport>(
        std::make_unique<posix::TcpTransport>(std::move(*socket), options.sendTimeout));
}

}  // namespace guru::platform
