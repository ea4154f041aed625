// An owned, connected, non-blocking Winsock TCP socket with select()-based waits.
#pragma once

#include <winsock2.h>

#include <atomic>
#include <chrono>

#include "platform/transport.h"

namespace guru::platform::win32 {

/// Owns one SOCKET and one WSAStartup reference (both released on destruction).
class WinsockSocket {
public:
    /// Resolves `host` and connects to the first address that answers, within the timeout.
    static Result<WinsockSocket, TransportError> connect(const TransportOptions& options,
                                                         const std::atomic<bool>* cancel);
    WinsockSocket(WinsockSocket&& other) noexcept
        : socket_(other.socket_), started_(other.started_) {
        other.socket_ = INVALID_SOCKET;
        other.started_ = false;
    }
    WinsockSocket& operator=(WinsockSocket&&) = delete;
    ~WinsockSocket();

    SOCKET get() const { return socket_; }
    /// Waits until readable (`write` false) or writable. Timeout, Interrupted (after
    /// shutdown()) or SystemError.
    Outcome<TransportError> wait(bool write, std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel = nullptr) const;
    /// Shuts both directions down and makes waits on other threads end.
    void shutdown();
    bool isShutDown() const { return shutDown_.load(); }

private:
    WinsockSocket() = default;
    SOCKET socket_ = INVALID_SOCKET;
    bool started_ = false;
    std::atomic<bool> shutDown_{false};
};

}  // namespace guru::platform::win32
