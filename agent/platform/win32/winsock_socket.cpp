// Winsock connect with timeout and cancellation, TCP_NODELAY, select() in short slices.
#include "platform/win32/winsock_socket.h"

#include <ws2tcpip.h>

#include <memory>
#include <string>

namespace guru::platform::win32 {

namespace {

using Clock = std::chrono::steady_clock;
// Waits are cut into slices so that shutdown() and cancel flags are seen promptly (a
// select() blocked on a socket is not reliably woken by shutdown() on another thread).
constexpr auto kSlice = std::chrono::milliseconds(100);

struct AddrInfoFree {
    void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

// 1: ready, 0: timed out, -1: error.
int selectOnce(SOCKET s, bool write, std::chrono::milliseconds timeout) {
    fd_set set;
    FD_ZERO(&set);
    FD_SET(s, &set);
    fd_set errors;
    FD_ZERO(&errors);
    FD_SET(s, &errors);  // a failed non-blocking connect shows here, not as writable
    timeval tv{static_cast<long>(timeout.count() / 1000), static_cast<long>(timeout.count() % 1000) * 1000};
    const int rc = ::select(0, write ? nullptr : &set, write ? &set : nullptr, &errors, &tv);
    if (rc == SOCKET_ERROR) return -1;
    return rc > 0 ? 1 : 0;
}

Outcome<TransportError> waitSliced(SOCKET s, bool write, std::chrono::milliseconds timeout,
                                   const std::atomic<bool>* cancel,
                                   const std::atomic<bool>* shutDown) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if ((cancel && cancel->load()) || (shutDown && shutDown->load())) {
            return Failure{TransportError::Interrupted};
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Failure{TransportError::Timeout};
        const int rc = selectOnce(s, write, std::min(left, std::chrono::milliseconds(kSlice)));
        if (rc < 0) return Failure{TransportError::SystemError};
        if (rc > 0) return Unit{};
    }
}

}  // namespace

WinsockSocket::~WinsockSocket() {
    if (socket_ != INVALID_SOCKET) closesocket(socket_);
    if (started_) WSACleanup();
}

Result<WinsockSocket, TransportError> WinsockSocket::connect(const TransportOptions& options,
                                                             const std::atomic<bool>* cancel) {
    WinsockSocket result;
    WSADATA data{};
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return Failure{TransportError::SystemError};
    result.started_ = true;

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    addrinfo* raw = nullptr;
    const std::string port = std::to_string(options.port);
    if (::getaddrinfo(options.host.c_str(), port.c_str(), &hints, &raw) != 0 || !raw) {
        return Failure{TransportError::ResolveFailed};
    }
    std::unique_ptr<addrinfo, AddrInfoFree> list(raw);
    TransportError last = TransportError::ConnectFailed;
    const auto deadline = Clock::now() + options.connectTimeout;
    for (addrinfo* a = list.get(); a; a = a->ai_next) {
        SOCKET s = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s == INVALID_SOCKET) continue;
        u_long nonBlocking = 1;
        const BOOL noDelay = TRUE;
        // Input and small control messages must not wait for Nagle's algorithm.
        if (ioctlsocket(s, FIONBIO, &nonBlocking) != 0 ||
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&noDelay),
                       sizeof noDelay) != 0) {
            closesocket(s);
            continue;
        }
        if (::connect(s, a->ai_addr, static_cast<int>(a->ai_addrlen)) == 0) {
            result.socket_ = s;
            return result;
        }
        if (WSAGetLastError() != WSAEWOULDBLOCK) {
            closesocket(s);
            continue;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        auto waited = waitSliced(s, true, left, cancel, nullptr);
        int err = 0;
        int len = sizeof err;
        if (waited && getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) == 0 &&
            err == 0) {
            result.socket_ = s;
            return result;
        }
        closesocket(s);
        if (!waited) {
            last = waited.error();
            if (last == TransportError::Interrupted || last == TransportError::Timeout) break;
        }
    }
    return Failure{last};
}

Outcome<TransportError> WinsockSocket::wait(bool write, std::chrono::milliseconds timeout,
                                            const std::atomic<bool>* cancel) const {
    return waitSliced(socket_, write, timeout, cancel, &shutDown_);
}

void WinsockSocket::shutdown() {
    shutDown_.store(true);
    ::shutdown(socket_, SD_BOTH);
}

}  // namespace guru::platform::win32
