// GnuTLS client: system trust store (plus an optional CA file), SNI, host-name verification.
#include "platform/posix/gnutls_transport.h"

#include <arpa/inet.h>
#include <poll.h>

namespace guru::platform::posix {

namespace {

using Clock = std::chrono::steady_clock;

bool isIpLiteral(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::chrono::milliseconds until(Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

}  // namespace

Result<std::unique_ptr<Transport>, TransportError> GnutlsTransport::handshake(
    TcpSocket socket, const TransportOptions& options, const std::atomic<bool>* cancel) {
    gnutls_certificate_credentials_t rawCred = nullptr;
    if (gnutls_certificate_allocate_credentials(&rawCred) < 0) {
        return Failure{TransportError::TlsSetupFailed};
    }
    GnutlsCredentials credentials(rawCred);
    const int system = options.caFileOnly ? 0 : gnutls_certificate_set_x509_system_trust(credentials.get());
    if (options.caFileOnly && options.caFile.empty()) return Failure{TransportError::TlsSetupFailed};
    if (!options.caFile.empty()) {
        if (gnutls_certificate_set_x509_trust_file(credentials.get(), options.caFile.c_str(),
                                                   GNUTLS_X509_FMT_PEM) <= 0) {
            return Failure{TransportError::TlsSetupFailed};
        }
    } else if (system <= 0) {
        return Failure{TransportError::TlsSetupFailed};  // nothing to verify against
    }

    gnutls_session_t rawSession = nullptr;
    if (gnutls_init(&rawSession, GNUTLS_CLIENT | GNUTLS_NONBLOCK) < 0) {
        return Failure{TransportError::TlsSetupFailed};
    }
    GnutlsSession session(rawSession);
    if (gnutls_set_default_priority(session.get()) < 0 ||
        gnutls_credentials_set(session.get(), GNUTLS_CRD_CERTIFICATE, credentials.get()) < 0) {
        return Failure{TransportError::TlsSetupFailed};
    }
    if (!isIpLiteral(options.host)) {
        gnutls_server_name_set(session.get(), GNUTLS_NAME_DNS, options.host.data(),
                               options.host.size());
    }
    // Chain to a trusted root, validity dates, and the host name (or IP address SAN).
    gnutls_session_set_verify_cert(session.get(), options.host.c_str(), 0);
    gnutls_transport_set_int(session.get(), socket.fd());

    const auto deadline = Clock::now() + options.connectTimeout;
    for (;;) {
        const int rc = gnutls_handshake(session.get());
        if (rc == GNUTLS_E_SUCCESS) break;
        if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
            const short events = gnutls_record_get_direction(session.get()) == 1 ? POLLOUT : POLLIN;
            const auto left = until(deadline);
            if (left.count() <= 0) return Failure{TransportError::Timeout};
            auto ready = socket.wait(events, left, cancel);
            if (!ready) return Failure{ready.error()};
            continue;
        }
        if (gnutls_error_is_fatal(rc) == 0) continue;
        if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR || rc == GNUTLS_E_CERTIFICATE_ERROR) {
            return Failure{TransportError::CertificateRejected};
        }
        return Failure{TransportError::TlsHandshakeFailed};
    }
    return std::unique_ptr<Transport>(new GnutlsTransport(
        std::move(socket), std::move(credentials), std::move(session), options.sendTimeout));
}

Outcome<TransportError> GnutlsTransport::send(ByteView data) {
    while (!data.empty()) {
        if (socket_.isShutDown()) return Failure{TransportError::Interrupted};
        const ssize_t n = gnutls_record_send(session_.get(), data.data(), data.size());
        if (n > 0) {
            data = data.subspan(static_cast<std::size_t>(n));
            continue;
        }
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
            // On AGAIN GnuTLS keeps the record; the retry must pass the same data.
            auto ready = socket_.wait(POLLOUT, sendTimeout_);
            if (!ready) return ready;
            continue;
        }
        return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
    }
    return Unit{};
}

Result<std::size_t, TransportError> GnutlsTransport::receive(std::span<std::byte> into,
                                                             std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (socket_.isShutDown()) return Failure{TransportError::Interrupted};
        const ssize_t n = gnutls_record_recv(session_.get(), into.data(), into.size());
        if (n > 0) return static_cast<std::size_t>(n);
        if (n == 0) return Failure{TransportError::Closed};  // close_notify
        if (n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED) {
            if (gnutls_error_is_fatal(static_cast<int>(n)) == 0) continue;  // warning alert
            return Failure{socket_.isShutDown() ? TransportError::Interrupted : TransportError::Closed};
        }
        const auto left = until(deadline);
        if (left.count() <= 0) return Failure{TransportError::Timeout};
        auto ready = socket_.wait(POLLIN, left);
        if (!ready) return Failure{ready.error()};
    }
}

}  // namespace guru::platform::posix
