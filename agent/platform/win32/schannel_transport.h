// TLS (wss://) over Winsock with Schannel (SSPI): the system's TLS, no library to ship.
#pragma once

#define SECURITY_WIN32
#include <winsock2.h>
#include <windows.h>
#include <security.h>

#include <mutex>
#include <vector>

#include "platform/win32/winsock_transport.h"

namespace guru::platform::win32 {

/// A Schannel client session over a connected Winsock transport. The certificate is
/// checked by this class (chain to the system store, or to --ca-file, and the host name),
/// so a self-hosted server's own CA works as it does on Linux. TLS 1.2 only for now: TLS
/// 1.3 on Windows 11 sends post-handshake messages (SEC_I_RENEGOTIATE) not handled here.
class SchannelTransport final : public Transport {
public:
    static Result<std::unique_ptr<Transport>, TransportError> handshake(
        WinsockSocket socket, const TransportOptions& options, const std::atomic<bool>* cancel);
    ~SchannelTransport() override;
    SchannelTransport(const SchannelTransport&) = delete;
    SchannelTransport& operator=(const SchannelTransport&) = delete;

    Outcome<TransportError> send(ByteView data) override;
    Result<std::size_t, TransportError> receive(std::span<std::byte> into,
                                                std::chrono::milliseconds timeout) override;
    void interrupt() override { raw_.interrupt(); }

private:
    explicit SchannelTransport(WinsockTransport raw) : raw_(std::move(raw)) {}
    /// Reads more ciphertext into encrypted_, waiting until `deadline`.
    Outcome<TransportError> readMore(std::chrono::steady_clock::time_point deadline,
                                     const std::atomic<bool>* cancel);
    Outcome<TransportError> runHandshake(const std::wstring& target,
                                         std::chrono::steady_clock::time_point deadline,
                                         const std::atomic<bool>* cancel);
    Outcome<TransportError> verifyServer(const TransportOptions& options, const std::wstring& target);

    WinsockTransport raw_;
    CredHandle credentials_{};
    bool haveCredentials_ = false;
    CtxtHandle context_{};
    bool haveContext_ = false;
    SecPkgContext_StreamSizes sizes_{};
    std::mutex crypto_;              // EncryptMessage/DecryptMessage share the context
    std::vector<char> encrypted_;    // received, not yet decrypted (receive side only)
    std::vector<char> plain_;        // decrypted, not yet returned
    std::size_t plainOffset_ = 0;
};

}  // namespace guru::platform::win32
