// A WebSocket client connection (RFC 6455) over a platform Transport: the opening
// handshake, masked binary messages out, reassembled binary messages in, ping/pong and
// close handled here. No OS headers: the transport comes from a Dialer.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/url.h"
#include "core/ws_frame.h"
#include "core/ws_handshake.h"
#include "platform/transport.h"

namespace guru::ws {

/// Why a WebSocket connection failed or ended.
struct ClientError {
    enum class Kind : std::uint8_t {
        Transport,      // see `transport`
        Handshake,      // see `handshake`
        Framing,        // see `frame`
        ClosedByPeer,   // a Close frame arrived; see `closeCode`
        UnexpectedText, // the protocol is binary-only
    };
    Kind kind = Kind::Transport;
    platform::TransportError transport = platform::TransportError::SystemError;
    HandshakeError handshake = HandshakeError::MalformedResponse;
    FrameError frame = FrameError::ReservedBits;
    std::uint16_t closeCode = 0;
};

/// A readable one-line description for logs.
std::string describe(const ClientError& e);

/// Opens a transport (platform::connectTransport in the agent, fakes in tests).
using Dialer = std::function<Result<std::unique_ptr<platform::Transport>, platform::TransportError>(
    const platform::TransportOptions&, const std::atomic<bool>*)>;

/// One open WebSocket. sendBinary() is thread-safe and may run while another thread is in
/// receive(); interrupt() may be called from any thread.
class WebSocketClient {
public:
    /// Dials `url` (host, port and TLS from it; CA file and timeouts from `base`) and
    /// performs the upgrade. Incoming messages above `maxMessage` bytes are refused.
    static Result<std::unique_ptr<WebSocketClient>, ClientError> connect(
        const Dialer& dial, const WsUrl& url, const platform::TransportOptions& base,
        std::size_t maxMessage, const std::atomic<bool>* cancel);

    /// Sends one binary message (one masked frame).
    Outcome<ClientError> sendBinary(ByteView payload);
    /// The next binary message, or nothing if `timeout` passed first. Pings are answered
    /// and pongs dropped on the way.
    Result<std::optional<Bytes>, ClientError> receive(std::chrono::milliseconds timeout);
    /// Sends a Close frame (best effort; the caller then drops the connection).
    void sendClose(std::uint16_t code);
    /// Sends a Close frame unless a send is in progress (used on shutdown, where waiting
    /// behind a large send would delay the exit).
    void closeIfIdle(std::uint16_t code);
    /// Wakes a blocked receive() or sendBinary(); every later call fails.
    void interrupt() { transport_->interrupt(); }

private:
    WebSocketClient(std::unique_ptr<platform::Transport> transport, std::size_t maxMessage)
        : transport_(std::move(transport)), decoder_(maxMessage) {}
    Outcome<ClientError> sendFrame(Opcode opcode, ByteView payload);

    std::unique_ptr<platform::Transport> transport_;
    FrameDecoder decoder_;
    Bytes readBuffer_;  // receive() only: one thread
    std::mutex sendMutex_;
    bool closeSent_ = false;  // guarded by sendMutex_
};

}  // namespace guru::ws
