// WebSocket client: upgrade handshake, framing over the transport, control frames.
#include "core/ws_client.h"

#include <gcrypt.h>

#include <vector>

#include "core/gcrypt_handles.h"

namespace guru::ws {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kReadChunk = 64 * 1024;

ClientError transportError(platform::TransportError e) {
    ClientError out;
    out.kind = ClientError::Kind::Transport;
    out.transport = e;
    return out;
}

std::chrono::milliseconds until(Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

}  // namespace

std::string describe(const ClientError& e) {
    switch (e.kind) {
        case ClientError::Kind::Transport: return std::string("transport: ") + platform::name(e.transport);
        case ClientError::Kind::Handshake: return std::string("handshake: ") + name(e.handshake);
        case ClientError::Kind::Framing: return std::string("framing: ") + name(e.frame);
        case ClientError::Kind::ClosedByPeer: return "closed by peer (" + std::to_string(e.closeCode) + ")";
        case ClientError::Kind::UnexpectedText: return "unexpected text message";
    }
    return "?";
}

Result<std::unique_ptr<WebSocketClient>, ClientError> WebSocketClient::connect(
    const Dialer& dial, const WsUrl& url, const platform::TransportOptions& base,
    std::size_t maxMessage, const std::atomic<bool>* cancel) {
    platform::TransportOptions options = base;
    options.host = url.host;
    options.port = url.port;
    options.tls = url.tls;
    const auto deadline = Clock::now() + options.connectTimeout;
    auto transport = dial(options, cancel);
    if (!transport) return Failure{transportError(transport.error())};
    std::unique_ptr<WebSocketClient> client(new WebSocketClient(std::move(*transport), maxMessage));

    const std::string key = randomKey();
    const std::string request = upgradeRequest(url, key, "guruconnect-agent");
    if (auto sent = client->transport_->send(asBytes(request)); !sent) {
        return Failure{transportError(sent.error())};
    }
    Bytes response;
    std::vector<std::byte> chunk(4096);
    for (;;) {
        if (cancel && cancel->load()) return Failure{transportError(platform::TransportError::Interrupted)};
        auto left = until(deadline);
        if (left.count() <= 0) return Failure{transportError(platform::TransportError::Timeout)};
        // Short slices keep cancellation prompt.
        auto n = client->transport_->receive(chunk, std::min(left, std::chrono::milliseconds(200)));
        if (!n) {
            if (n.error() == platform::TransportError::Timeout) continue;
            return Failure{transportError(n.error())};
        }
        response.insert(response.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(*n));
        auto parsed = parseUpgradeResponse(response, key);
        if (!parsed) {
            ClientError e;
            e.kind = ClientError::Kind::Handshake;
            e.handshake = parsed.error();
            return Failure{e};
        }
        if (*parsed) {
            // Anything after the headers is already frame data.
            client->decoder_.feed(ByteView(response).subspan((*parsed)->headerLength));
            return client;
        }
    }
}

Outcome<ClientError> WebSocketClient::sendFrame(Opcode opcode, ByteView payload) {
    MaskKey mask{};
    crypto::ensureInitialised();
    gcry_create_nonce(mask.data(), mask.size());
    const Bytes frame = encodeFrame(opcode, payload, mask);
    std::lock_guard lock(sendMutex_);
    if (closeSent_) return Failure{transportError(platform::TransportError::Closed)};
    if (opcode == Opcode::Close) closeSent_ = true;
    auto sent = transport_->send(frame);
    if (!sent) return Failure{transportError(sent.error())};
    return Unit{};
}

Outcome<ClientError> WebSocketClient::sendBinary(ByteView payload) {
    return sendFrame(Opcode::Binary, payload);
}

void WebSocketClient::sendClose(std::uint16_t code) {
    (void)sendFrame(Opcode::Close, closePayload(code));
}

void WebSocketClient::closeIfIdle(std::uint16_t code) {
    std::unique_lock lock(sendMutex_, std::try_to_lock);
    if (!lock.owns_lock() || closeSent_) return;
    closeSent_ = true;
    MaskKey mask{};
    crypto::ensureInitialised();
    gcry_create_nonce(mask.data(), mask.size());
    (void)transport_->send(encodeFrame(Opcode::Close, closePayload(code), mask));
}

Result<std::optional<Bytes>, ClientError> WebSocketClient::receive(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        auto event = decoder_.next();
        if (!event) {
            ClientError e;
            e.kind = ClientError::Kind::Framing;
            e.frame = event.error();
            sendClose(e.frame == FrameError::MessageTooLarge ? 1009 : 1002);
            return Failure{e};
        }
        if (*event) {
            Event& ev = **event;
            switch (ev.kind) {
                case Event::Kind::Message:
                    if (ev.messageType != Opcode::Binary) {
                        sendClose(1003);
                        ClientError e;
                        e.kind = ClientError::Kind::UnexpectedText;
                        return Failure{e};
                    }
                    return std::optional<Bytes>{std::move(ev.payload)};
                case Event::Kind::Ping:
                    if (auto sent = sendFrame(Opcode::Pong, ev.payload); !sent) return Failure{sent.error()};
                    continue;
                case Event::Kind::Pong:
                    continue;
                case Event::Kind::Close: {
                    sendClose(ev.closeCode == 1005 ? 1000 : ev.closeCode);
                    ClientError e;
                    e.kind = ClientError::Kind::ClosedByPeer;
                    e.closeCode = ev.closeCode;
                    return Failure{e};
                }
            }
        }
        const auto left = until(deadline);
        if (left.count() <= 0) return std::optional<Bytes>{};
        if (readBuffer_.empty()) readBuffer_.resize(kReadChunk);
        auto n = transport_->receive(readBuffer_, left);
        if (!n) {
            if (n.error() == platform::TransportError::Timeout) return std::optional<Bytes>{};
            return Failure{transportError(n.error())};
        }
        decoder_.feed(ByteView(readBuffer_).first(*n));
    }
}

}  // namespace guru::ws
