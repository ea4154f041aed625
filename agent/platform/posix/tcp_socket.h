// An owned, connected, non-blocking TCP socket (POSIX), with poll-based waits.
#pragma once

#include <atomic>
#include <chrono>

#include "platform/transport.h"

namespace guru::platform::posix {

/// Owns one socket descriptor; closes it on destruction.
class TcpSocket {
public:
    /// Resolves `host` and connects to the first address that answers, within the timeout.
    static Result<TcpSocket, TransportError> connect(const TransportOptions& options,
                                                     const std::atomic<bool>* cancel);
    TcpSocket(TcpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    TcpSocket& operator=(TcpSocket&&) = delete;
    ~TcpSocket();

    int fd() const { return fd_; }
    /// Waits until the socket is readable (POLLIN) or writable (POLLOUT). Timeout,
    /// Interrupted (after shutdown()) or SystemError.
    Outcome<TransportError> wait(short events, std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel = nullptr) const;
    /// Shuts both directions down: wakes pollers on other threads.
    void shutdown();
    bool isShutDown() const { return shutDown_.load(); }

private:
    explicit TcpSocket(int fd) : fd_(fd) {}
    int fd_ = -1;
    std::atomic<bool> shutDown_{false};
};

}  // namespace guru::platform::posix
