// A connected byte stream to the server (TCP, optionally TLS). The core speaks WebSocket
// over it; the OS socket and TLS library stay behind this interface (platform/posix/ now,
// platform/win32/ with Schannel later).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::platform {

/// Why a transport operation failed.
enum class TransportError : std::uint8_t {
    ResolveFailed,       // the host name did not resolve
    ConnectFailed,       // refused or unreachable
    Timeout,             // connect, handshake, send or receive ran out of time
    TlsSetupFailed,      // the TLS library or the trust store/CA file could not be loaded
    TlsHandshakeFailed,
    CertificateRejected, // the server's certificate did not verify for the host
    Closed,              // the peer closed the stream
    Interrupted,         // interrupt() or cancellation from another thread
    SystemError,
};

/// Short stable name for an error.
const char* name(TransportError e);

/// Where and how to connect.
struct TransportOptions {
    std::string host;
    std::uint16_t port = 0;
    bool tls = false;
    /// PEM file of CA certificates to trust in addition to the system store (self-hosted
    /// servers with their own CA, and tests). Empty: the system store only.
    std::string caFile;
    /// Trust only `caFile`, not the system store (pinning a self-hosted server's own CA).
    bool caFileOnly = false;
    std::chrono::milliseconds connectTimeout{10000};
    /// How long a send may make no progress before the link counts as dead.
    std::chrono::milliseconds sendTimeout{15000};
};

/// A connected stream. send() may run on one thread while receive() runs on another;
/// interrupt() may be called from any thread.
class Transport {
public:
    virtual ~Transport() = default;
    /// Writes all of `data` or fails.
    virtual Outcome<TransportError> send(ByteView data) = 0;
    /// Reads at least one byte into `into`, waiting up to `timeout` (Timeout otherwise).
    virtual Result<std::size_t, TransportError> receive(std::span<std::byte> into,
                                                        std::chrono::milliseconds timeout) = 0;
    /// Wakes any blocked call and makes every later one fail with Interrupted.
    virtual void interrupt() = 0;
};

/// Dials TCP (with TCP_NODELAY) and, if asked, TLS with certificate verification. A set
/// `cancel` flag aborts the connect within a fraction of a second.
Result<std::unique_ptr<Transport>, TransportError> connectTransport(
    const TransportOptions& options, const std::atomic<bool>* cancel);

}  // namespace guru::platform
