// TLS transport (wss://) through GnuTLS, linked as a shared system library.
#pragma once

#include <gnutls/gnutls.h>

#include <memory>

#include "platform/posix/tcp_socket.h"

namespace guru::platform::posix {

struct GnutlsCredentialsFree {
    void operator()(gnutls_certificate_credentials_t c) const { gnutls_certificate_free_credentials(c); }
};
struct GnutlsSessionFree {
    void operator()(gnutls_session_t s) const { gnutls_deinit(s); }
};
/// Owned certificate credentials (the trust store).
using GnutlsCredentials =
    std::unique_ptr<std::remove_pointer_t<gnutls_certificate_credentials_t>, GnutlsCredentialsFree>;
/// Owned TLS session.
using GnutlsSession = std::unique_ptr<std::remove_pointer_t<gnutls_session_t>, GnutlsSessionFree>;

/// Transport over TLS; the server certificate is verified for the host name during connect.
/// One thread may send while another receives (GnuTLS supports this split; the agent
/// never renegotiates).
class GnutlsTransport final : public Transport {
public:
    static Result<std::unique_ptr<Transport>, TransportError> handshake(
        TcpSocket socket, const TransportOptions& options, const std::atomic<bool>* cancel);

    Outcome<TransportError> send(ByteView data) override;
    Result<std::size_t, TransportError> receive(std::span<std::byte> into,
                                                std::chrono::milliseconds timeout) override;
    void interrupt() override { socket_.shutdown(); }

    // Members are destroyed in reverse order: the session before its credentials and socket.
private:
    GnutlsTransport(TcpSocket socket, GnutlsCredentials credentials, GnutlsSession session,
                    std::chrono::milliseconds sendTimeout)
        : socket_(std::move(socket)), credentials_(std::move(credentials)),
          session_(std::move(session)), sendTimeout_(sendTimeout) {}

    TcpSocket socket_;
    GnutlsCredentials credentials_;
    GnutlsSession session_;
    std::chrono::milliseconds sendTimeout_;
};

}  // namespace guru::platform::posix
