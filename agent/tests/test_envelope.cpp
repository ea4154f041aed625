// Envelope codec against protocol/vectors/envelope.json: whole frames, streams fed whole,
// byte by byte and message by message, and rejection before allocation.
#include <doctest/doctest.h>

#include "core/envelope.h"
#include "core/envelope_stream.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::envelope;
using guru::test::fromHex;
using guru::test::toHex;
using nlohmann::json;

namespace {

const char* modeName(ViewerMode m) { return m == ViewerMode::Control ? "control" : "view"; }

// The vector files' JSON shape of a message.
json toJson(const Message& message) {
    return std::visit(
        [](const auto& m) -> json {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, AgentHello>)
                return {{"type", "AgentHello"}, {"agentId", toHex(m.agentId)},
                        {"credential", toHex(m.credential)}, {"agentVersion", m.agentVersion}};
            if constexpr (std::is_same_v<T, ViewerJoin>)
                return {{"type", "ViewerJoin"}, {"sessionId", toHex(m.sessionId)},
                        {"joinToken", toHex(m.joinToken)}, {"mode", modeName(m.mode)}};
            if constexpr (std::is_same_v<T, Welcome>)
                return {{"type", "Welcome"}, {"connectionId", m.connectionId},
                        {"heartbeatSeconds", m.heartbeatSeconds}};
            if constexpr (std::is_same_v<T, Reject>)
                return {{"type", "Reject"}, {"code", static_cast<int>(m.code)}};
            if constexpr (std::is_same_v<T, Ping>)
                return {{"type", "Ping"}, {"nonce", std::to_string(m.nonce)}};
            if constexpr (std::is_same_v<T, Pong>)
                return {{"type", "Pong"}, {"nonce", std::to_string(m.nonce)}};
            if constexpr (std::is_same_v<T, ViewerJoined>)
                return {{"type", "ViewerJoined"}, {"sessionId", toHex(m.sessionId)},
                        {"viewerId", m.viewerId}, {"mode", modeName(m.mode)}};
            if constexpr (std::is_same_v<T, ViewerLeft>)
                return {{"type", "ViewerLeft"}, {"viewerId", m.viewerId}, {"reason", m.reason}};
            if constexpr (std::is_same_v<T, SessionEnd>)
                return {{"type", "SessionEnd"}, {"sessionId", toHex(m.sessionId)},
                        {"reason", m.reason}};
            if constexpr (std::is_same_v<T, Relay>)
                return {{"type", "Relay"}, {"peerId", m.peerId}, {"sealed", toHex(m.sealed)},
                        {"mark", m.mark == RelayMark::None ? "none"
                                 : m.mark == RelayMark::Picture ? "picture" : "frameEnd"}};
            if constexpr (std::is_same_v<T, ViewerInfo>)
                return {{"type", "ViewerInfo"}, {"viewerId", m.viewerId}, {"name", m.name}};
            if constexpr (std::is_same_v<T, AgentStatus>)
                return {{"type", "AgentStatus"}, {"state", static_cast<int>(m.state)}};
            if constexpr (std::is_same_v<T, AgentInfo>)
                return {{"type", "AgentInfo"}, {"hostname", m.hostname}, {"osName", m.osName},
                        {"userName", m.userName}};
            if constexpr (std::is_same_v<T, AgentChallenge>)
                return {{"type", "AgentChallenge"}, {"nonce", toHex(m.nonce)}};
            if constexpr (std::is_same_v<T, AgentProof>)
                return {{"type", "AgentProof"}, {"identityKey", toHex(m.identityKey)},
                        {"signature", toHex(m.signature)}};
            if constexpr (std::is_same_v<T, AgentInventory>)
                return {{"type", "AgentInventory"}, {"json", m.json}};
            if constexpr (std::is_same_v<T, WakeOnLan>)
                return {{"type", "WakeOnLan"}, {"mac", toHex(m.mac)}, {"broadcast", toHex(m.broadcast)}};
        },
        message);
}

struct Stream {
    Bytes bytes;
    std::vector<json> expected;
};

Stream allValidFrames(const json& vectors) {
    Stream s;
    for (const auto& v : vectors["valid"]) {
        Bytes f = fromHex(v["hex"].get<std::string>());
        s.bytes.insert(s.bytes.end(), f.begin(), f.end());
        s.expected.push_back(v["message"]);
    }
    return s;
}

std::vector<json> drain(StreamDecoder& d) {
    std::vector<json> out;
    for (int guard = 0; guard < 10000; ++guard) {
        auto m = d.next();
        if (!m) break;
        REQUIRE(m->ok());
        out.push_back(toJson(m->value()));
    }
    return out;
}

}  // namespace

TEST_CASE("vector file constants match the codec") {
    auto v = guru::test::loadVectors("envelope.json");
    CHECK(v["version"] == kVersion);
    CHECK(v["headerSize"] == kHeaderSize);
    CHECK(v["maxPayload"] == kMaxPayload);
}

TEST_CASE("valid vectors decode to the expected message and re-encode byte for byte") {
    auto vectors = guru::test::loadVectors("envelope.json");
    REQUIRE(vectors["valid"].size() >= 10);
    for (const auto& v : vectors["valid"]) {
        CAPTURE(v["name"].get<std::string>());
        Bytes frame = fromHex(v["hex"].get<std::string>());
        auto decoded = decodeFrame(frame);
        REQUIRE(decoded.ok());
        CHECK(toJson(*decoded) == v["message"]);
        auto encoded = encodeFrame(*decoded);
        REQUIRE(encoded.ok());
        CHECK(toHex(*encoded) == v["hex"].get<std::string>());
    }
}

TEST_CASE("invalid vectors fail with the expected error") {
    auto vectors = guru::test::loadVectors("envelope.json");
    REQUIRE(vectors["invalid"].size() >= 10);
    for (const auto& v : vectors["invalid"]) {
        CAPTURE(v["name"].get<std::string>());
        auto decoded = decodeFrame(fromHex(v["hex"].get<std::string>()));
        REQUIRE_FALSE(decoded.ok());
        CHECK(std::string(name(decoded.error())) == v["error"].get<std::string>());
    }
}

TEST_CASE("stream decoder: whole buffer, byte by byte, and frame by frame agree") {
    auto vectors = guru::test::loadVectors("envelope.json");
    Stream s = allValidFrames(vectors);

    StreamDecoder whole;
    REQUIRE(whole.feed(s.bytes).ok());
    CHECK(drain(whole) == s.expected);
    CHECK(whole.buffered() == 0);

    StreamDecoder bytewise;
    std::vector<json> got;
    for (std::byte b : s.bytes) {
        REQUIRE(bytewise.feed(ByteView(&b, 1)).ok());
        auto some = drain(bytewise);
        got.insert(got.end(), some.begin(), some.end());
    }
    CHECK(got == s.expected);

    StreamDecoder framewise;
    got.clear();
    for (const auto& v : vectors["valid"]) {
        REQUIRE(framewise.feed(fromHex(v["hex"].get<std::string>())).ok());
        auto some = drain(framewise);
        REQUIRE(some.size() == 1);
        got.push_back(some.front());
    }
    CHECK(got == s.expected);

    // Odd chunk sizes that straddle headers and payloads.
    for (std::size_t chunk : {3u, 7u, 13u}) {
        StreamDecoder chunked;
        got.clear();
        for (std::size_t i = 0; i < s.bytes.size(); i += chunk) {
            auto part = ByteView(s.bytes).subspan(i, std::min(chunk, s.bytes.size() - i));
            REQUIRE(chunked.feed(part).ok());
            auto some = drain(chunked);
            got.insert(got.end(), some.begin(), some.end());
        }
        CHECK(got == s.expected);
    }
}

TEST_CASE("stream decoder rejects every invalid vector, or waits for more if incomplete") {
    auto vectors = guru::test::loadVectors("envelope.json");
    for (const auto& v : vectors["invalid"]) {
        CAPTURE(v["name"].get<std::string>());
        Bytes frame = fromHex(v["hex"].get<std::string>());
        const std::string expected = v["error"].get<std::string>();
        StreamDecoder d;
        auto st = d.feed(frame);
        if (expected == "Incomplete") {
            CHECK(st.ok());
            CHECK_FALSE(d.next().has_value());
        } else if (name(EnvelopeError::MalformedPayload) == expected && st.ok()) {
            // A trailing byte after a whole frame is the start of the next frame here.
            auto first = d.next();
            CHECK(first.has_value());
            CHECK(d.buffered() > 0);
        } else {
            REQUIRE_FALSE(st.ok());
            CHECK(std::string(name(st.error())) == expected);
        }
    }
}

TEST_CASE("stream decoder rejects an oversized header before buffering any payload") {
    StreamDecoder d;
    // Tag Relay, declared length 0xFFFFFFFF: the 8 header bytes alone must fail.
    Bytes header = fromHex("0130" "0000" "ffffffff");
    auto st = d.feed(ByteView(header).first(7));
    REQUIRE(st.ok());
    st = d.feed(ByteView(header).subspan(7));
    REQUIRE_FALSE(st.ok());
    CHECK(st.error() == EnvelopeError::FrameTooLarge);
    CHECK(d.buffered() <= kHeaderSize);
    // A dead stream stays dead, even for valid input.
    CHECK_FALSE(d.feed(fromHex("011000000000000800000000000000aa")).ok());
    auto next = d.next();
    REQUIRE(next.has_value());
    CHECK_FALSE(next->ok());
}

TEST_CASE("stream decoder reports the first bad frame after the good ones") {
    Bytes good = encodeFrame(Ping{9}).value();
    Bytes bad = fromHex("0210000000000008");  // version 2
    Bytes all = good;
    all.insert(all.end(), bad.begin(), bad.end());
    StreamDecoder d;
    auto st = d.feed(all);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error() == EnvelopeError::UnsupportedVersion);
    auto first = d.next();
    REQUIRE(first.has_value());
    REQUIRE(first->ok());
    CHECK(std::get<Ping>(first->value()).nonce == 9);
    auto second = d.next();
    REQUIRE(second.has_value());
    CHECK_FALSE(second->ok());
}

TEST_CASE("encoder refuses what the wire cannot carry") {
    Relay big{7, Bytes(kMaxPayload, std::byte{1})};  // + 4 byte peer id > max
    auto e = encodeFrame(big);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error() == EnvelopeError::FrameTooLarge);

    Relay fits{7, Bytes(kMaxPayload - 4, std::byte{1})};
    auto ok = encodeFrame(fits);
    REQUIRE(ok.ok());
    CHECK(ok->size() == kHeaderSize + kMaxPayload);
    CHECK(decodeFrame(*ok).ok());

    CHECK(encodeFrame(AgentHello{{}, {}, "v"}).error() == EnvelopeError::InvalidField);
    CHECK(encodeFrame(Relay{1, {}}).error() == EnvelopeError::InvalidField);
    CHECK(encodeFrame(Welcome{1, 0}).error() == EnvelopeError::InvalidField);
}

TEST_CASE("AgentInventory: the JSON's length bounds and UTF-8, both ways") {
    const std::string shortest = "{}";
    auto two = encodeFrame(AgentInventory{shortest});
    REQUIRE(two.ok());
    CHECK(toHex(*two) == "0142000000000002" "7b7d");
    CHECK(std::get<AgentInventory>(decodeFrame(*two).value()).json == shortest);

    std::string longest(kMaxInventoryJson, ' ');
    longest.front() = '{';
    longest.back() = '}';
    auto max = encodeFrame(AgentInventory{longest});
    REQUIRE(max.ok());
    CHECK(max->size() == kHeaderSize + kMaxInventoryJson);
    CHECK(decodeFrame(*max).ok());

    CHECK(encodeFrame(AgentInventory{"{"}).error() == EnvelopeError::InvalidField);
    CHECK(encodeFrame(AgentInventory{longest + " "}).error() == EnvelopeError::InvalidField);
    CHECK(encodeFrame(AgentInventory{"{\"a\":\"\xff\"}"}).error() == EnvelopeError::InvalidField);

    CHECK(decodeFrame(fromHex("0142000000000000")).error() == EnvelopeError::InvalidField);
    CHECK(decodeFrame(fromHex("0142000000000001" "7b")).error() == EnvelopeError::InvalidField);
    CHECK(decodeFrame(fromHex("0142000000000003" "7bff7d")).error() == EnvelopeError::InvalidField);
    Bytes tooLong = fromHex("0142000000010001");
    tooLong.resize(kHeaderSize + kMaxInventoryJson + 1, std::byte{' '});
    CHECK(decodeFrame(tooLong).error() == EnvelopeError::InvalidField);
}

TEST_CASE("WakeOnLan: exactly 10 bytes, and a MAC that names one machine") {
    WakeOnLan wol;
    wol.mac = {std::byte{0x00}, std::byte{0x11}, std::byte{0x22}, std::byte{0x33}, std::byte{0x44}, std::byte{0x55}};
    wol.broadcast = {std::byte{192}, std::byte{168}, std::byte{1}, std::byte{255}};
    auto frame = encodeFrame(wol);
    REQUIRE(frame.ok());
    CHECK(toHex(*frame) == "014300000000000a" "001122334455" "c0a801ff");
    CHECK(std::get<WakeOnLan>(decodeFrame(*frame).value()) == wol);

    CHECK(decodeFrame(fromHex("0143000000000009" "001122334455c0a801")).error() == EnvelopeError::MalformedPayload);
    CHECK(decodeFrame(fromHex("014300000000000b" "001122334455c0a801ff00")).error() ==
          EnvelopeError::MalformedPayload);
    CHECK(decodeFrame(fromHex("014300000000000a" "000000000000c0a801ff")).error() == EnvelopeError::InvalidField);
    CHECK(decodeFrame(fromHex("014300000000000a" "ffffffffffffc0a801ff")).error() == EnvelopeError::InvalidField);
    WakeOnLan zeros;
    CHECK(encodeFrame(zeros).error() == EnvelopeError::InvalidField);
}
