// WebSocket codec: frames whole, byte by byte, fragmented and malformed; the size limit is
// enforced from the header; the handshake's accept value and response checks; URLs.
#include <doctest/doctest.h>

#include <string>

#include "core/url.h"
#include "core/ws_frame.h"
#include "core/ws_handshake.h"

using namespace guru;
using namespace guru::ws;

namespace {

constexpr std::size_t kMax = 8 + (1u << 20);

Bytes bytesOf(std::string_view s) { return Bytes(asBytes(s).begin(), asBytes(s).end()); }

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes raw(std::initializer_list<int> v) {
    Bytes out;
    for (int b : v) out.push_back(static_cast<std::byte>(b));
    return out;
}

// Feeds everything at once and drains the events.
std::vector<Event> drain(FrameDecoder& d, std::optional<FrameError>* error = nullptr) {
    std::vector<Event> out;
    for (;;) {
        auto e = d.next();
        if (!e) {
            if (error) *error = e.error();
            return out;
        }
        if (!*e) return out;
        out.push_back(std::move(**e));
    }
}

std::vector<Event> decodeWhole(const Bytes& stream, std::optional<FrameError>* error = nullptr) {
    FrameDecoder d(kMax);
    d.feed(stream);
    return drain(d, error);
}

std::vector<Event> decodeByteByByte(const Bytes& stream, std::optional<FrameError>* error = nullptr) {
    FrameDecoder d(kMax);
    std::vector<Event> out;
    for (std::byte b : stream) {
        d.feed(ByteView(&b, 1));
        auto got = drain(d, error);
        for (auto& e : got) out.push_back(std::move(e));
        if (error && *error) break;
    }
    return out;
}

std::optional<FrameError> errorOf(const Bytes& stream) {
    std::optional<FrameError> whole, bytewise;
    decodeWhole(stream, &whole);
    decodeByteByByte(stream, &bytewise);
    CHECK(whole == bytewise);  // the same verdict however the bytes arrive
    return whole;
}

}  // namespace

TEST_CASE("client frames are masked and round-trip through the mask") {
    const Bytes payload = bytesOf("Hello");
    const MaskKey mask{std::byte{0x37}, std::byte{0xfa}, std::byte{0x21}, std::byte{0x3d}};
    // RFC 6455 §5.7: a masked "Hello".
    CHECK(encodeFrame(Opcode::Text, payload, mask) ==
          raw({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
    CHECK(encodeFrame(Opcode::Text, payload, std::nullopt) ==
          raw({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
}

TEST_CASE("length forms: 7-bit, 16-bit and 64-bit") {
    for (std::size_t size : {0u, 125u, 126u, 65535u, 65536u, 200000u}) {
        Bytes payload(size, std::byte{0x5a});
        const Bytes frame = encodeFrame(Opcode::Binary, payload, std::nullopt);
        const std::size_t header = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
        CHECK(frame.size() == header + size);
        auto events = decodeWhole(frame);
        REQUIRE(events.size() == 1);
        CHECK(events[0].kind == Event::Kind::Message);
        CHECK(events[0].messageType == Opcode::Binary);
        CHECK(events[0].payload == payload);
    }
}

TEST_CASE("a stream of frames decodes the same whole and byte by byte") {
    const Bytes stream = concat({
        encodeFrame(Opcode::Binary, bytesOf("one"), std::nullopt),
        encodeFrame(Opcode::Ping, bytesOf("p"), std::nullopt),
        encodeFrame(Opcode::Binary, bytesOf("fra"), std::nullopt, false),
        encodeFrame(Opcode::Pong, bytesOf(""), std::nullopt),  // control between fragments
        encodeFrame(Opcode::Continuation, bytesOf("gme"), std::nullopt, false),
        encodeFrame(Opcode::Continuation, bytesOf("nted"), std::nullopt, true),
        encodeFrame(Opcode::Close, closePayload(1001), std::nullopt),
    });
    for (auto events : {decodeWhole(stream), decodeByteByByte(stream)}) {
        REQUIRE(events.size() == 5);
        CHECK(events[0].payload == bytesOf("one"));
        CHECK(events[1].kind == Event::Kind::Ping);
        CHECK(events[1].payload == bytesOf("p"));
        CHECK(events[2].kind == Event::Kind::Pong);
        CHECK(events[3].kind == Event::Kind::Message);
        CHECK(events[3].payload == bytesOf("fragmented"));
        CHECK(events[4].kind == Event::Kind::Close);
        CHECK(events[4].closeCode == 1001);
    }
}

TEST_CASE("a close frame without a status reports 1005") {
    auto events = decodeWhole(encodeFrame(Opcode::Close, {}, std::nullopt));
    REQUIRE(events.size() == 1);
    CHECK(events[0].closeCode == 1005);
}

TEST_CASE("malformed frames are typed errors") {
    CHECK(errorOf(raw({0xC2, 0x00})) == FrameError::ReservedBits);
    CHECK(errorOf(raw({0x83, 0x00})) == FrameError::UnknownOpcode);
    CHECK(errorOf(raw({0x8B, 0x00})) == FrameError::UnknownOpcode);
    CHECK(errorOf(raw({0x82, 0x81, 1, 2, 3, 4, 5})) == FrameError::MaskedServerFrame);
    CHECK(errorOf(raw({0x09, 0x00})) == FrameError::FragmentedControl);
    CHECK(errorOf(raw({0x89, 0x7E, 0x00, 0x7E})) == FrameError::ControlTooLong);
    CHECK(errorOf(raw({0x82, 0x7E, 0x00, 0x05, 1, 2, 3, 4, 5})) == FrameError::NonMinimalLength);
    CHECK(errorOf(raw({0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF})) == FrameError::NonMinimalLength);
    CHECK(errorOf(raw({0x80, 0x00})) == FrameError::UnexpectedContinuation);
    CHECK(errorOf(concat({encodeFrame(Opcode::Binary, bytesOf("a"), std::nullopt, false),
                          encodeFrame(Opcode::Binary, bytesOf("b"), std::nullopt)})) ==
          FrameError::ExpectedContinuation);
    CHECK(errorOf(raw({0x88, 0x01, 0x03})) == FrameError::BadClosePayload);
}

TEST_CASE("oversized messages are refused from the header, before the payload arrives") {
    // 2^63 declared, nothing sent after the header: rejected at once.
    CHECK(errorOf(raw({0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0})) == FrameError::MessageTooLarge);
    CHECK(errorOf(raw({0x82, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})) ==
          FrameError::MessageTooLarge);
    // One byte over the envelope maximum, declared only.
    ByteWriter w;
    w.u8(0x82);
    w.u8(0x7F);
    w.u64(kMax + 1);
    FrameDecoder d(kMax);
    d.feed(w.take());
    auto e = d.next();
    REQUIRE_FALSE(e.ok());
    CHECK(e.error() == FrameError::MessageTooLarge);
    CHECK(d.buffered() == 10);  // nothing reserved for the declared payload

    // Exactly the maximum is fine.
    Bytes payload(kMax, std::byte{1});
    auto events = decodeWhole(encodeFrame(Opcode::Binary, payload, std::nullopt));
    REQUIRE(events.size() == 1);
    CHECK(events[0].payload.size() == kMax);
}

TEST_CASE("fragments may not add up past the limit") {
    FrameDecoder d(10);
    d.feed(encodeFrame(Opcode::Binary, Bytes(6, std::byte{1}), std::nullopt, false));
    auto first = d.next();
    REQUIRE(first.ok());
    CHECK_FALSE(first->has_value());
    d.feed(raw({0x80, 0x05}));  // header of a 5-byte continuation: 6 + 5 > 10
    auto second = d.next();
    REQUIRE_FALSE(second.ok());
    CHECK(second.error() == FrameError::MessageTooLarge);
    // Errors are sticky.
    d.feed(encodeFrame(Opcode::Binary, bytesOf("x"), std::nullopt));
    CHECK_FALSE(d.next().ok());
}

TEST_CASE("handshake: accept value and request") {
    // RFC 6455 §1.3.
    CHECK(acceptFor("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(base64(bytesOf("")) == "");
    CHECK(base64(bytesOf("f")) == "Zg==");
    CHECK(base64(bytesOf("fo")) == "Zm8=");
    CHECK(base64(bytesOf("foo")) == "Zm9v");
    const std::string a = randomKey(), b = randomKey();
    CHECK(a.size() == 24);
    CHECK(a != b);
    auto url = parseWsUrl("ws://example.test:8080/api/agent/ws");
    REQUIRE(url.ok());
    const std::string request = upgradeRequest(*url, a, "guruconnect-agent");
    CHECK(request.rfind("GET /api/agent/ws HTTP/1.1\r\n", 0) == 0);
    CHECK(request.find("Host: example.test:8080\r\n") != std::string::npos);
    CHECK(request.find("Sec-WebSocket-Key: " + a + "\r\n") != std::string::npos);
    CHECK(request.find("Sec-WebSocket-Version: 13\r\n") != std::string::npos);
    CHECK(request.substr(request.size() - 4) == "\r\n\r\n");
}

TEST_CASE("handshake: response checks") {
    const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
    const std::string good =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    const Bytes withFrame = concat({bytesOf(good), raw({0x82, 0x00})});
    auto ok = parseUpgradeResponse(withFrame, key);
    REQUIRE(ok.ok());
    REQUIRE(ok->has_value());
    CHECK((*ok)->headerLength == good.size());

    // Incomplete: byte by byte, nothing until the blank line.
    for (std::size_t i = 1; i < good.size(); ++i) {
        auto partial = parseUpgradeResponse(ByteView(withFrame).first(i), key);
        REQUIRE(partial.ok());
        CHECK_FALSE(partial->has_value());
    }
    auto verdict = [&](const std::string& response) {
        auto r = parseUpgradeResponse(bytesOf(response), key);
        return r.ok() ? std::optional<HandshakeError>{} : std::optional<HandshakeError>{r.error()};
    };
    CHECK(verdict("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n") == HandshakeError::UnexpectedStatus);
    CHECK(verdict("HTTP/1.0 101 OK\r\n\r\n") == HandshakeError::MalformedResponse);
    CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\nbroken\r\n\r\n") == HandshakeError::MalformedResponse);
    CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n") == HandshakeError::MissingUpgrade);
    CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n") == HandshakeError::BadAccept);
    CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n") ==
          HandshakeError::BadAccept);
    CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                  "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n") == HandshakeError::UnrequestedExtension);
    CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\n" + std::string(9000, 'x')) ==
          HandshakeError::ResponseTooLarge);
}

TEST_CASE("server URLs") {
    auto u = parseWsUrl("wss://guru.example.com/api/agent/ws");
    REQUIRE(u.ok());
    CHECK(u->tls);
    CHECK(u->host == "guru.example.com");
    CHECK(u->port == 443);
    CHECK(u->path == "/api/agent/ws");
    CHECK(u->hostHeader() == "guru.example.com");

    u = parseWsUrl("ws://[::1]:9000");
    REQUIRE(u.ok());
    CHECK(u->host == "::1");
    CHECK(u->port == 9000);
    CHECK(u->path == "/");
    CHECK(u->hostHeader() == "[::1]:9000");

    u = parseWsUrl("WS://127.0.0.1?x=1");
    REQUIRE(u.ok());
    CHECK(u->port == 80);
    CHECK(u->path == "/?x=1");

    CHECK(parseWsUrl("http://x/").error() == UrlError::UnsupportedScheme);
    CHECK(parseWsUrl("ws:///path").error() == UrlError::MissingHost);
    CHECK(parseWsUrl("ws://h:0/").error() == UrlError::BadPort);
    CHECK(parseWsUrl("ws://h:65536/").error() == UrlError::BadPort);
    CHECK(parseWsUrl("ws://h:/").error() == UrlError::BadPort);
    CHECK(parseWsUrl("ws://h:8a/").error() == UrlError::BadPort);
    CHECK(parseWsUrl("ws://user@h/").error() == UrlError::BadHost);
    CHECK(parseWsUrl("ws://h/a b").error() == UrlError::BadHost);
}
