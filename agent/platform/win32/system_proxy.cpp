// Proxy settings from the registry values the Windows proxy settings page writes, and the
// CONNECT exchange (RFC 9110 §9.3.6).
#include "platform/win32/system_proxy.h"

#include <windows.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1) {
        out.push_back(trim(s.substr(start, at - start)));
    }
    out.push_back(trim(s.substr(start)));
    return out;
}

// '*' matches any run of characters, as in ProxyOverride.
bool wildcardMatch(const std::string& pattern, const std::string& text) {
    std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::optional<ProxyEndpoint> parseEndpoint(const std::string& value) {
    std::string v = value;
    if (const auto scheme = v.find("://"); scheme != std::string::npos) v = v.substr(scheme + 3);
    const auto colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    const std::string port = v.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
    const int n = std::stoi(port);
    if (n <= 0 || n > 65535) return std::nullopt;
    return ProxyEndpoint{v.substr(0, colon), static_cast<std::uint16_t>(n)};
}

std::optional<std::string> readString(HKEY key, const wchar_t* name) {
    DWORD type = 0, size = 0;
    if (RegQueryValueExW(key, name, nullptr, &type, nullptr, &size) != ERROR_SUCCESS || type != REG_SZ ||
        size > 65536) {
        return std::nullopt;
    }
    std::wstring value(size / sizeof(wchar_t) + 1, L'\0');
    if (RegQueryValueExW(key, name, nullptr, nullptr, reinterpret_cast<BYTE*>(value.data()), &size) !=
        ERROR_SUCCESS) {
        return std::nullopt;
    }
    value.resize(wcsnlen(value.c_str(), value.size()));
    return narrow(value);
}

}  // namespace

std::optional<ProxyEndpoint> chooseProxy(const std::string& proxyServer, const std::string& proxyOverride,
                                         const std::string& host, bool tls) {
    const std::string name = lower(host);
    for (const std::string& pattern : split(lower(proxyOverride), ';')) {
        if (pattern.empty()) continue;
        if (pattern == "<local>" ? name.find('.') == std::string::npos : wildcardMatch(pattern, name)) {
            return std::nullopt;
        }
    }
    std::optional<ProxyEndpoint> any;
    for (const std::string& entry : split(proxyServer, ';')) {
        const auto eq = entry.find('=');
        if (eq == std::string::npos) {
            if (!any) any = parseEndpoint(entry);
            continue;
        }
        const std::string scheme = lower(trim(entry.substr(0, eq)));
        if (scheme == (tls ? "https" : "http")) return parseEndpoint(trim(entry.substr(eq + 1)));
    }
    return any;
}

std::optional<ProxyEndpoint> systemProxyFor(const std::string& host, bool tls) {
    HKEY key = nullptr;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings", 0,
                      KEY_QUERY_VALUE, &key) != ERROR_SUCCESS) {
        return std::nullopt;
    }
    DWORD enabled = 0, size = sizeof enabled, type = 0;
    const bool on = RegQueryValueExW(key, L"ProxyEnable", nullptr, &type, reinterpret_cast<BYTE*>(&enabled),
                                     &size) == ERROR_SUCCESS && type == REG_DWORD && enabled != 0;
    const auto server = on ? readString(key, L"ProxyServer") : std::nullopt;
    const auto bypass = on ? readString(key, L"ProxyOverride") : std::nullopt;
    RegCloseKey(key);
    if (!server) return std::nullopt;
    return chooseProxy(*server, bypass.value_or(""), host, tls);
}

Outcome<TransportError> openTunnel(const WinsockSocket& socket, const std::string& host, std::uint16_t port,
                                   std::chrono::steady_clock::time_point deadline,
                                   const std::atomic<bool>* cancel) {
    const std::string authority =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    const std::string request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
    auto left = [&] {
        return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          deadline - std::chrono::steady_clock::now()));
    };
    for (std::size_t sent = 0; sent < request.size();) {
        const int n = ::send(socket.get(), request.data() + sent, static_cast<int>(request.size() - sent), 0);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (WSAGetLastError() != WSAEWOULDBLOCK) return Failure{TransportError::ConnectFailed};
        auto ready = socket.wait(true, left(), cancel);
        if (!ready) return ready;
    }
    // The reply's header only: the proxy sends nothing more until the client speaks (the
    // TLS ClientHello or the WebSocket upgrade), so reading a byte at a time is not needed.
    std::string reply;
    while (reply.find("\r\n\r\n") == std::string::npos) {
        if (reply.size() > 8192) return Failure{TransportError::ConnectFailed};
        char buffer[1024];
        const int n = ::recv(socket.get(), buffer, sizeof buffer, 0);
        if (n > 0) {
            reply.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0 || WSAGetLastError() != WSAEWOULDBLOCK) return Failure{TransportError::ConnectFailed};
        auto ready = socket.wait(false, left(), cancel);
        if (!ready) return ready;
    }
    // "HTTP/1.1 200 Connection established"
    const auto space = reply.find(' ');
    if (reply.compare(0, 5, "HTTP/") != 0 || space == std::string::npos || reply.compare(space + 1, 3, "200") != 0) {
        return Failure{TransportError::ConnectFailed};
    }
    return Unit{};
}

}  // namespace guru::platform::win32
