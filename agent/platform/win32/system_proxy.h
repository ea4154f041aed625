// The user's proxy settings (Internet Options / Settings → Proxy), and an HTTP CONNECT
// tunnel through the proxy, so the agent gets out where only the proxy may.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "platform/transport.h"
#include "platform/win32/winsock_socket.h"

namespace guru::platform::win32 {

/// Where to send CONNECT.
struct ProxyEndpoint {
    std::string host;
    std::uint16_t port = 0;
    bool operator==(const ProxyEndpoint&) const = default;
};

/// The proxy for `host` from a ProxyServer value ("h:p", or "http=h:p;https=h:p") and a
/// ProxyOverride list ("*.corp;10.*;<local>"); none if the host bypasses it.
std::optional<ProxyEndpoint> chooseProxy(const std::string& proxyServer, const std::string& proxyOverride,
                                         const std::string& host, bool tls);

/// The current user's manual proxy (HKCU ...\Internet Settings: ProxyEnable, ProxyServer,
/// ProxyOverride) for `host`. Automatic configuration (WPAD, PAC scripts) is not read.
std::optional<ProxyEndpoint> systemProxyFor(const std::string& host, bool tls);

/// Asks the proxy on `socket` for a tunnel to host:port (HTTP CONNECT); ConnectFailed if it
/// refuses. Waits until `deadline` at most.
Outcome<TransportError> openTunnel(const WinsockSocket& socket, const std::string& host,
                                   std::uint16_t port, std::chrono::steady_clock::time_point deadline,
                                   const std::atomic<bool>* cancel);

}  // namespace guru::platform::win32
