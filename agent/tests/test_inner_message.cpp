// Inner message codec against protocol/vectors/inner.json.
#include <doctest/doctest.h>

#include "core/inner_message.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::inner;
using guru::test::fromHex;
using guru::test::toHex;
using nlohmann::json;

namespace {

const char* encodingName(TileEncoding e) {
    switch (e) {
        case TileEncoding::Jpeg: return "jpeg";
        case TileEncoding::Png: return "png";
        case TileEncoding::WebpLossless: return "webp-lossless";
        case TileEncoding::Vp8: return "vp8";
    }
    return "?";
}

const char* secureAttentionName(SecureAttention s) {
    switch (s) {
        case SecureAttention::Keys: return "keys";
        case SecureAttention::Sas: return "sas";
        case SecureAttention::Unavailable: return "unavailable";
    }
    return "?";
}

json toJson(const Message& message) {
    return std::visit(
        [](const auto& m) -> json {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, MonitorLayout>) {
                json list = json::array();
                for (const auto& mon : m.monitors)
                    list.push_back({{"x", mon.x}, {"y", mon.y}, {"width", mon.width},
                                    {"height", mon.height}, {"primary", mon.primary}});
                return {{"type", "MonitorLayout"}, {"monitors", list}};
            }
            if constexpr (std::is_same_v<T, TileUpdate>)
                return {{"type", "TileUpdate"}, {"x", m.x}, {"y", m.y}, {"width", m.width},
                        {"height", m.height}, {"encoding", encodingName(m.encoding)},
                        {"data", toHex(m.data)}};
            if constexpr (std::is_same_v<T, FrameEnd>)
                return {{"type", "FrameEnd"}, {"sequence", m.sequence}};
            if constexpr (std::is_same_v<T, FrameAck>)
                return {{"type", "FrameAck"}, {"sequence", m.sequence}};
            if constexpr (std::is_same_v<T, CursorImage>)
                return {{"type", "CursorImage"}, {"width", m.width}, {"height", m.height},
                        {"hotX", m.hotX}, {"hotY", m.hotY}, {"rgba", toHex(m.rgba)}};
            if constexpr (std::is_same_v<T, CursorPosition>)
                return {{"type", "CursorPosition"}, {"x", m.x}, {"y", m.y},
                        {"visible", m.visible}};
            if constexpr (std::is_same_v<T, PointerMove>)
                return {{"type", "PointerMove"}, {"x", m.x}, {"y", m.y}};
            if constexpr (std::is_same_v<T, PointerButton>)
                return {{"type", "PointerButton"}, {"button", static_cast<int>(m.button)},
                        {"pressed", m.pressed}};
            if constexpr (std::is_same_v<T, Wheel>)
                return {{"type", "Wheel"}, {"dx", m.dx}, {"dy", m.dy}};
            if constexpr (std::is_same_v<T, Key>)
                return {{"type", "Key"}, {"pressed", m.pressed}, {"modifiers", m.modifiers},
                        {"code", m.code}, {"key", m.key}};
            if constexpr (std::is_same_v<T, ClipboardText>)
                return {{"type", "ClipboardText"}, {"text", m.text}};
            if constexpr (std::is_same_v<T, SessionInfo>)
                return {{"type", "SessionInfo"}, {"captureName", m.captureName},
                        {"secureAttention", secureAttentionName(m.secureAttention)},
                        {"elevated", m.elevated}};
            if constexpr (std::is_same_v<T, ChannelClosed>)
                return {{"type", "ChannelClosed"},
                        {"reason", m.reason == CloseReason::MissingRecord ? "missingRecord" : "unexpectedRecord"}};
            if constexpr (std::is_same_v<T, DiagnosticsRequest>)
                return {{"type", "DiagnosticsRequest"}, {"requestId", m.requestId}};
            if constexpr (std::is_same_v<T, DiagnosticsReport>)
                return {{"type", "DiagnosticsReport"}, {"requestId", m.requestId}, {"report", m.json}};
        },
        message);
}

}  // namespace

TEST_CASE("valid inner vectors decode and re-encode byte for byte") {
    auto vectors = guru::test::loadVectors("inner.json");
    REQUIRE(vectors["valid"].size() >= 11);
    for (const auto& v : vectors["valid"]) {
        CAPTURE(v["name"].get<std::string>());
        auto decoded = decode(fromHex(v["hex"].get<std::string>()));
        REQUIRE(decoded.ok());
        CHECK(toJson(*decoded) == v["message"]);
        auto encoded = encode(*decoded);
        REQUIRE(encoded.ok());
        CHECK(toHex(*encoded) == v["hex"].get<std::string>());
    }
}

TEST_CASE("invalid inner vectors fail with the expected error") {
    auto vectors = guru::test::loadVectors("inner.json");
    REQUIRE(vectors["invalid"].size() >= 10);
    for (const auto& v : vectors["invalid"]) {
        CAPTURE(v["name"].get<std::string>());
        auto decoded = decode(fromHex(v["hex"].get<std::string>()));
        REQUIRE_FALSE(decoded.ok());
        CHECK(std::string(name(decoded.error())) == v["error"].get<std::string>());
    }
}

TEST_CASE("every strict prefix of a valid message is rejected, never over-read") {
    auto vectors = guru::test::loadVectors("inner.json");
    for (const auto& v : vectors["valid"]) {
        Bytes full = fromHex(v["hex"].get<std::string>());
        const auto type = v["message"]["type"];
        if (type == "ClipboardText" || type == "TileUpdate" || type == "DiagnosticsReport")
            continue;  // their last field runs to the end, so prefixes can be valid
        for (std::size_t n = 0; n < full.size(); ++n) {
            CAPTURE(n);
            CHECK_FALSE(decode(ByteView(full).first(n)).ok());
        }
    }
}

TEST_CASE("encoder refuses unrepresentable fields") {
    CHECK(encode(CursorImage{2, 2, 0, 0, Bytes(15)}).error() == InnerError::InvalidField);
    CHECK(encode(Key{true, 0, std::string(65, 'a'), "a"}).error() == InnerError::InvalidField);
    CHECK(encode(MonitorLayout{}).error() == InnerError::InvalidField);
    CHECK(encode(TileUpdate{0, 0, 8, 8, TileEncoding::Png, {}}).error() == InnerError::InvalidField);
    // A video frame: a flags byte (keyframe bit only) and at least one byte of VP8.
    CHECK(encode(TileUpdate{0, 0, 8, 8, TileEncoding::Vp8, Bytes{std::byte{1}}}).error() == InnerError::InvalidField);
    CHECK(encode(TileUpdate{0, 0, 8, 8, TileEncoding::Vp8, Bytes{std::byte{2}, std::byte{9}}}).error() == InnerError::InvalidField);
    CHECK(encode(TileUpdate{0, 0, 8, 8, TileEncoding::Vp8, Bytes{std::byte{1}, std::byte{9}}}).ok());
    // SessionInfo: a capture name of 1..32 bytes of UTF-8 and a known secureAttention.
    CHECK(encode(SessionInfo{"", SecureAttention::Keys}).error() == InnerError::InvalidField);
    CHECK(encode(SessionInfo{std::string(33, 'x'), SecureAttention::Keys}).error() == InnerError::InvalidField);
    CHECK(encode(SessionInfo{"\xff", SecureAttention::Keys}).error() == InnerError::InvalidField);
    CHECK(encode(SessionInfo{"gdi", static_cast<SecureAttention>(3)}).error() == InnerError::InvalidField);
    CHECK(encode(SessionInfo{std::string(32, 'x'), SecureAttention::Unavailable}).ok());
    // The elevated flag is bit 0 of the flags byte, the last byte; the other bits stay 0.
    auto elevated = encode(SessionInfo{"gdi", SecureAttention::Unavailable, true});
    REQUIRE(elevated.ok());
    CHECK(toHex(*elevated) == "02036764690201");
    auto plain = encode(SessionInfo{"gdi", SecureAttention::Unavailable, false});
    REQUIRE(plain.ok());
    CHECK(toHex(*plain) == "02036764690200");
    // Diagnostics: requestId ≥ 1; the report 1..262,144 bytes of UTF-8.
    CHECK(encode(DiagnosticsRequest{0}).error() == InnerError::InvalidField);
    CHECK(encode(DiagnosticsReport{0, "{}"}).error() == InnerError::InvalidField);
    CHECK(encode(DiagnosticsReport{1, ""}).error() == InnerError::InvalidField);
    CHECK(encode(DiagnosticsReport{1, "\xff"}).error() == InnerError::InvalidField);
    CHECK(encode(DiagnosticsReport{1, std::string(kMaxDiagnosticsReport + 1, ' ')}).error() == InnerError::InvalidField);
    CHECK(encode(DiagnosticsReport{1, std::string(kMaxDiagnosticsReport, ' ')}).ok());
}

TEST_CASE("a DiagnosticsReport's prefixes: requestId cut short is Truncated, no JSON is InvalidField") {
    auto full = encode(DiagnosticsReport{7, "{\"schema\":1}"});
    REQUIRE(full.ok());
    for (std::size_t n = 1; n < 5; ++n) CHECK(decode(ByteView(*full).first(n)).error() == InnerError::Truncated);
    CHECK(decode(ByteView(*full).first(5)).error() == InnerError::InvalidField);
}
