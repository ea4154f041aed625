// WebSocketClient over a scripted in-memory transport: the handshake (with frames arriving
// in the same read as the 101), masked client frames, ping → pong, close echo, the size
// limit, and a wrong Sec-WebSocket-Accept.
#include <doctest/doctest.h>

#include <deque>
#include <string>

#include "core/ws_client.h"

using namespace guru;
using namespace guru::ws;
using platform::TransportError;

namespace {

// Replies to the upgrade request, then hands out scripted chunks; records what is sent.
class ScriptedTransport final : public platform::Transport {
public:
    bool correctAccept = true;
    Bytes afterHandshake;        // delivered in the same read as the 101 response
    std::deque<Bytes> chunks;    // later reads
    Bytes sent;

    Outcome<TransportError> send(ByteView data) override {
        sent.insert(sent.end(), data.begin(), data.end());
        return Unit{};
    }
    Result<std::size_t, TransportError> receive(std::span<std::byte> into,
                                                std::chrono::milliseconds) override {
        if (!responded_) {
            responded_ = true;
            const std::string request(reinterpret_cast<const char*>(sent.data()), sent.size());
            const auto at = request.find("Sec-WebSocket-Key: ") + 19;
            const std::string key = request.substr(at, request.find("\r\n", at) - at);
            const std::string response =
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: " + (correctAccept ? acceptFor(key) : acceptFor("x")) + "\r\n\r\n";
            Bytes first(asBytes(response).begin(), asBytes(response).end());
            first.insert(first.end(), afterHandshake.begin(), afterHandshake.end());
            chunks.push_front(std::move(first));
            sent.clear();
        }
        if (chunks.empty()) return Failure{TransportError::Timeout};
        Bytes& c = chunks.front();
        const std::size_t n = std::min(into.size(), c.size());
        std::copy_n(c.begin(), n, into.begin());
        c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n));
        if (c.empty()) chunks.pop_front();
        return n;
    }
    void interrupt() override {}

private:
    bool responded_ = false;
};

struct ClientFrame {
    Opcode opcode;
    Bytes payload;
};

// Parses the client's frames, which must all be masked.
std::vector<ClientFrame> clientFrames(const Bytes& sent) {
    std::vector<ClientFrame> out;
    ByteReader r(sent);
    while (!r.atEnd()) {
        const auto b0 = *r.u8(), b1 = *r.u8();
        REQUIRE((b1 & 0x80) != 0);
        std::uint64_t len = b1 & 0x7F;
        if (len == 126) len = *r.u16();
        else if (len == 127) len = *r.u64();
        const auto mask = *r.bytes(4);
        const auto body = *r.bytes(static_cast<std::size_t>(len));
        Bytes payload(body.begin(), body.end());
        for (std::size_t i = 0; i < payload.size(); ++i) payload[i] ^= mask[i & 3];
        out.push_back({static_cast<Opcode>(b0 & 0x0F), std::move(payload)});
    }
    return out;
}

Bytes bytesOf(std::string_view s) { return Bytes(asBytes(s).begin(), asBytes(s).end()); }

Result<std::unique_ptr<WebSocketClient>, ClientError> open(ScriptedTransport*& fake,
                                                            std::unique_ptr<ScriptedTransport> t) {
    fake = t.get();
    auto owned = std::make_shared<std::unique_ptr<ScriptedTransport>>(std::move(t));
    Dialer dial = [owned](const platform::TransportOptions& o, const std::atomic<bool>*)
        -> Result<std::unique_ptr<platform::Transport>, TransportError> {
        CHECK(o.host == "relay.test");
        CHECK(o.port == 8443);
        CHECK(o.tls);
        return std::unique_ptr<platform::Transport>(std::move(*owned));
    };
    auto url = parseWsUrl("wss://relay.test:8443/api/agent/ws");
    REQUIRE(url.ok());
    return WebSocketClient::connect(dial, *url, {}, 1024, nullptr);
}

}  // namespace

TEST_CASE("frames in the 101's read are kept; pings answered; close echoed") {
    auto t = std::make_unique<ScriptedTransport>();
    Bytes stream = encodeFrame(Opcode::Ping, bytesOf("hb"), std::nullopt);
    Bytes part1 = encodeFrame(Opcode::Binary, bytesOf("hel"), std::nullopt, false);
    stream.insert(stream.end(), part1.begin(), part1.end());
    t->afterHandshake = stream;
    Bytes part2 = encodeFrame(Opcode::Continuation, bytesOf("lo"), std::nullopt);
    for (std::byte b : part2) t->chunks.push_back(Bytes{b});  // then byte by byte
    t->chunks.push_back(encodeFrame(Opcode::Close, closePayload(1000), std::nullopt));
    ScriptedTransport* fake = nullptr;
    auto client = open(fake, std::move(t));
    REQUIRE(client.ok());

    auto message = (*client)->receive(std::chrono::milliseconds(100));
    REQUIRE(message.ok());
    REQUIRE(message->has_value());
    CHECK(**message == bytesOf("hello"));

    REQUIRE((*client)->sendBinary(bytesOf("agent")).ok());
    auto closed = (*client)->receive(std::chrono::milliseconds(100));
    REQUIRE_FALSE(closed.ok());
    CHECK(closed.error().kind == ClientError::Kind::ClosedByPeer);
    CHECK(closed.error().closeCode == 1000);

    auto frames = clientFrames(fake->sent);
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].opcode == Opcode::Pong);
    CHECK(frames[0].payload == bytesOf("hb"));
    CHECK(frames[1].opcode == Opcode::Binary);
    CHECK(frames[1].payload == bytesOf("agent"));
    CHECK(frames[2].opcode == Opcode::Close);
    CHECK(frames[2].payload == closePayload(1000));
    // After the close, nothing more goes out.
    CHECK_FALSE((*client)->sendBinary(bytesOf("late")).ok());
}

TEST_CASE("no data is a timeout, not an error") {
    ScriptedTransport* fake = nullptr;
    auto client = open(fake, std::make_unique<ScriptedTransport>());
    REQUIRE(client.ok());
    auto r = (*client)->receive(std::chrono::milliseconds(10));
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
}

TEST_CASE("an oversized message is refused from its header with close 1009") {
    auto t = std::make_unique<ScriptedTransport>();
    ByteWriter w;
    w.u8(0x82);
    w.u8(126);
    w.u16(1025);  // one over this client's 1024-byte limit; no payload follows
    t->afterHandshake = w.take();
    ScriptedTransport* fake = nullptr;
    auto client = open(fake, std::move(t));
    REQUIRE(client.ok());
    auto r = (*client)->receive(std::chrono::milliseconds(100));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ClientError::Kind::Framing);
    CHECK(r.error().frame == FrameError::MessageTooLarge);
    auto frames = clientFrames(fake->sent);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].payload == closePayload(1009));
}

TEST_CASE("a wrong Sec-WebSocket-Accept fails the handshake") {
    auto t = std::make_unique<ScriptedTransport>();
    t->correctAccept = false;
    ScriptedTransport* fake = nullptr;
    auto client = open(fake, std::move(t));
    REQUIRE_FALSE(client.ok());
    CHECK(client.error().kind == ClientError::Kind::Handshake);
    CHECK(client.error().handshake == HandshakeError::BadAccept);
}
