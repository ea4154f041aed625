// Envelope header and payload encoding (layout in docs/protocol.md §2).
#include <algorithm>
#include <type_traits>

#include "core/envelope.h"
#include "core/utf8.h"

namespace guru::envelope {
namespace {

using Error = EnvelopeError;

bool isKnownTag(std::uint8_t t) {
    switch (static_cast<Tag>(t)) {
        case Tag::AgentHello: case Tag::ViewerJoin: case Tag::Welcome: case Tag::Reject:
        case Tag::Ping: case Tag::Pong: case Tag::ViewerJoined: case Tag::ViewerLeft:
        case Tag::SessionEnd: case Tag::ViewerInfo: case Tag::Relay: case Tag::AgentStatus:
        case Tag::AgentInfo: case Tag::AgentChallenge: case Tag::AgentProof:
        case Tag::AgentInventory: case Tag::WakeOnLan:
            return true;
    }
    return false;
}

std::optional<Id128> readId(ByteReader& r) {
    auto b = r.bytes(16);
    if (!b) return std::nullopt;
    Id128 id{};
    std::copy(b->begin(), b->end(), id.begin());
    return id;
}

// A u16-length-prefixed token of 1..kMaxTokenSize bytes.
Result<Bytes, Error> readToken(ByteReader& r) {
    auto len = r.u16();
    if (!len) return Failure{Error::MalformedPayload};
    if (*len == 0 || *len > kMaxTokenSize) return Failure{Error::InvalidField};
    auto b = r.bytes(*len);
    if (!b) return Failure{Error::MalformedPayload};
    return Bytes(b->begin(), b->end());
}

std::optional<ViewerMode> toMode(std::uint8_t m) {
    if (m > 1) return std::nullopt;
    return static_cast<ViewerMode>(m);
}

template <typename T>
Result<Message, Error> finish(ByteReader& r, T value) {
    if (!r.atEnd()) return Failure{Error::MalformedPayload};
    return Message{std::move(value)};
}

Result<Message, Error> decodeAgentHello(ByteReader& r) {
    AgentHello m;
    auto id = readId(r);
    if (!id) return Failure{Error::MalformedPayload};
    m.agentId = *id;
    auto token = readToken(r);
    if (!token) return Failure{token.error()};
    m.credential = std::move(*token);
    auto vlen = r.u8();
    if (!vlen) return Failure{Error::MalformedPayload};
    auto v = r.bytes(*vlen);
    if (!v) return Failure{Error::MalformedPayload};
    m.agentVersion = toString(*v);
    return finish(r, std::move(m));
}

Result<Message, Error> decodeViewerJoin(ByteReader& r) {
    ViewerJoin m;
    auto id = readId(r);
    if (!id) return Failure{Error::MalformedPayload};
    m.sessionId = *id;
    auto token = readToken(r);
    if (!token) return Failure{token.error()};
    m.joinToken = std::move(*token);
    auto mode = r.u8();
    if (!mode) return Failure{Error::MalformedPayload};
    auto typed = toMode(*mode);
    if (!typed) return Failure{Error::InvalidField};
    m.mode = *typed;
    return finish(r, std::move(m));
}

Result<Message, Error> decodeWelcome(ByteReader& r) {
    auto id = r.u32();
    auto hb = r.u16();
    if (!id || !hb) return Failure{Error::MalformedPayload};
    if (*hb == 0) return Failure{Error::InvalidField};
    return finish(r, Welcome{*id, *hb});
}

Result<Message, Error> decodeReject(ByteReader& r) {
    auto code = r.u16();
    if (!code) return Failure{Error::MalformedPayload};
    if (*code < 1 || *code > 6) return Failure{Error::InvalidField};
    return finish(r, Reject{static_cast<RejectCode>(*code)});
}

Result<Message, Error> decodeViewerJoined(ByteReader& r) {
    auto id = readId(r);
    auto viewer = r.u32();
    auto mode = r.u8();
    if (!id || !viewer || !mode) return Failure{Error::MalformedPayload};
    auto typed = toMode(*mode);
    if (!typed || *viewer == 0) return Failure{Error::InvalidField};
    return finish(r, ViewerJoined{*id, *viewer, *typed});
}

Result<Message, Error> decodeRelay(ByteReader& r, RelayMark mark) {
    auto peer = r.u32();
    if (!peer) return Failure{Error::MalformedPayload};
    auto rest = r.rest();
    if (rest.empty()) return Failure{Error::InvalidField};
    return Message{Relay{*peer, Bytes(rest.begin(), rest.end()), mark}};
}

std::optional<RelayMark> toMark(std::uint16_t flags) {
    switch (static_cast<RelayMark>(flags)) {
        case RelayMark::None: case RelayMark::Picture: case RelayMark::FrameEnd:
            return static_cast<RelayMark>(flags);
    }
    return std::nullopt;
}

Result<Message, Error> decodeViewerInfo(ByteReader& r) {
    auto viewer = r.u32();
    auto len = r.u8();
    if (!viewer || !len) return Failure{Error::MalformedPayload};
    auto text = r.bytes(*len);
    if (!text) return Failure{Error::MalformedPayload};
    if (*viewer == 0) return Failure{Error::InvalidField};
    return finish(r, ViewerInfo{*viewer, toString(*text)});
}

Result<Message, Error> decodeAgentStatus(ByteReader& r) {
    auto state = r.u8();
    if (!state) return Failure{Error::MalformedPayload};
    if (*state < 1 || *state > 4) return Failure{Error::InvalidField};
    return finish(r, AgentStatus{static_cast<SupportState>(*state)});
}

// A u8-length-prefixed UTF-8 string: MalformedPayload if cut short, InvalidField if not UTF-8.
Result<std::string, Error> readShortText(ByteReader& r) {
    auto len = r.u8();
    if (!len) return Failure{Error::MalformedPayload};
    auto text = r.bytes(*len);
    if (!text) return Failure{Error::MalformedPayload};
    if (!isValidUtf8(*text)) return Failure{Error::InvalidField};
    return toString(*text);
}

Result<Message, Error> decodeAgentInfo(ByteReader& r) {
    AgentInfo info;
    for (std::string* field : {&info.hostname, &info.osName, &info.userName}) {
        auto text = readShortText(r);
        if (!text) return Failure{text.error()};
        *field = std::move(*text);
    }
    return finish(r, std::move(info));
}

// Fixed-size byte fields, exactly as many bytes as the array holds.
template <std::size_t N>
bool readFixed(ByteReader& r, std::array<std::byte, N>& out) {
    auto b = r.bytes(N);
    if (!b) return false;
    std::copy(b->begin(), b->end(), out.begin());
    return true;
}

Result<Message, Error> decodeAgentChallenge(ByteReader& r) {
    AgentChallenge m;
    if (!readFixed(r, m.nonce)) return Failure{Error::MalformedPayload};
    return finish(r, m);
}

Result<Message, Error> decodeAgentProof(ByteReader& r) {
    AgentProof m;
    if (!readFixed(r, m.identityKey) || !readFixed(r, m.signature)) return Failure{Error::MalformedPayload};
    return finish(r, m);
}

// The whole payload is the JSON: its length and its UTF-8 are all the envelope checks.
Result<Message, Error> decodeAgentInventory(ByteReader& r) {
    const auto json = r.rest();
    if (json.size() < kMinInventoryJson || json.size() > kMaxInventoryJson || !isValidUtf8(json)) {
        return Failure{Error::InvalidField};
    }
    return Message{AgentInventory{toString(json)}};
}

bool isWakeableMac(const std::array<std::byte, 6>& mac) {
    const bool zeros = std::all_of(mac.begin(), mac.end(), [](std::byte b) { return b == std::byte{0}; });
    const bool ones = std::all_of(mac.begin(), mac.end(), [](std::byte b) { return b == std::byte{0xff}; });
    return !zeros && !ones;
}

Result<Message, Error> decodeWakeOnLan(ByteReader& r) {
    WakeOnLan m;
    if (!readFixed(r, m.mac) || !readFixed(r, m.broadcast)) return Failure{Error::MalformedPayload};
    if (!r.atEnd()) return Failure{Error::MalformedPayload};
    if (!isWakeableMac(m.mac)) return Failure{Error::InvalidField};
    return Message{m};
}

void writeId(ByteWriter& w, const Id128& id) { w.bytes(id); }

// Returns false when a field cannot be represented on the wire.
bool encodePayload(ByteWriter& w, const Message& message) {
    return std::visit(
        [&w](const auto& m) -> bool {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, AgentHello>) {
                if (m.credential.empty() || m.credential.size() > kMaxTokenSize) return false;
                if (m.agentVersion.size() > 255) return false;
                writeId(w, m.agentId);
                w.u16(static_cast<std::uint16_t>(m.credential.size()));
                w.bytes(m.credential);
                w.u8(static_cast<std::uint8_t>(m.agentVersion.size()));
                w.text(m.agentVersion);
            } else if constexpr (std::is_same_v<T, ViewerJoin>) {
                if (m.joinToken.empty() || m.joinToken.size() > kMaxTokenSize) return false;
                writeId(w, m.sessionId);
                w.u16(static_cast<std::uint16_t>(m.joinToken.size()));
                w.bytes(m.joinToken);
                w.u8(static_cast<std::uint8_t>(m.mode));
            } else if constexpr (std::is_same_v<T, Welcome>) {
                if (m.heartbeatSeconds == 0) return false;
                w.u32(m.connectionId);
                w.u16(m.heartbeatSeconds);
            } else if constexpr (std::is_same_v<T, Reject>) {
                w.u16(static_cast<std::uint16_t>(m.code));
            } else if constexpr (std::is_same_v<T, Ping> || std::is_same_v<T, Pong>) {
                w.u64(m.nonce);
            } else if constexpr (std::is_same_v<T, ViewerJoined>) {
                if (m.viewerId == 0) return false;
                writeId(w, m.sessionId);
                w.u32(m.viewerId);
                w.u8(static_cast<std::uint8_t>(m.mode));
            } else if constexpr (std::is_same_v<T, ViewerLeft>) {
                w.u32(m.viewerId);
                w.u16(m.reason);
            } else if constexpr (std::is_same_v<T, SessionEnd>) {
                writeId(w, m.sessionId);
                w.u16(m.reason);
            } else if constexpr (std::is_same_v<T, Relay>) {
                if (m.sealed.empty()) return false;
                w.u32(m.peerId);
                w.bytes(m.sealed);
            } else if constexpr (std::is_same_v<T, ViewerInfo>) {
                if (m.viewerId == 0 || m.name.size() > 255) return false;
                w.u32(m.viewerId);
                w.u8(static_cast<std::uint8_t>(m.name.size()));
                w.text(m.name);
            } else if constexpr (std::is_same_v<T, AgentStatus>) {
                const auto state = static_cast<std::uint8_t>(m.state);
                if (state < 1 || state > 4) return false;
                w.u8(state);
            } else if constexpr (std::is_same_v<T, AgentInfo>) {
                for (const std::string* text : {&m.hostname, &m.osName, &m.userName}) {
                    if (text->size() > 255) return false;
                }
                for (const std::string* text : {&m.hostname, &m.osName, &m.userName}) {
                    w.u8(static_cast<std::uint8_t>(text->size()));
                    w.text(*text);
                }
            } else if constexpr (std::is_same_v<T, AgentChallenge>) {
                w.bytes(m.nonce);
            } else if constexpr (std::is_same_v<T, AgentProof>) {
                w.bytes(m.identityKey);
                w.bytes(m.signature);
            } else if constexpr (std::is_same_v<T, AgentInventory>) {
                if (m.json.size() < kMinInventoryJson || m.json.size() > kMaxInventoryJson) return false;
                if (!isValidUtf8(asBytes(m.json))) return false;
                w.text(m.json);
            } else if constexpr (std::is_same_v<T, WakeOnLan>) {
                if (!isWakeableMac(m.mac)) return false;
                w.bytes(m.mac);
                w.bytes(m.broadcast);
            }
            return true;
        },
        message);
}

constexpr Tag kTagByIndex[] = {Tag::AgentHello, Tag::ViewerJoin,   Tag::Welcome,
                               Tag::Reject,     Tag::Ping,         Tag::Pong,
                               Tag::ViewerJoined, Tag::ViewerLeft, Tag::SessionEnd,
                               Tag::Relay,      Tag::ViewerInfo,   Tag::AgentStatus,
                               Tag::AgentInfo,  Tag::AgentChallenge, Tag::AgentProof,
                               Tag::AgentInventory, Tag::WakeOnLan};
static_assert(std::size(kTagByIndex) == std::variant_size_v<Message>);

}  // namespace

const char* name(EnvelopeError e) {
    switch (e) {
        case Error::Incomplete: return "Incomplete";
        case Error::UnsupportedVersion: return "UnsupportedVersion";
        case Error::UnknownTag: return "UnknownTag";
        case Error::ReservedFlags: return "ReservedFlags";
        case Error::FrameTooLarge: return "FrameTooLarge";
        case Error::MalformedPayload: return "MalformedPayload";
        case Error::InvalidField: return "InvalidField";
    }
    return "?";
}

Result<Header, EnvelopeError> decodeHeader(ByteView header) {
    ByteReader r(header);
    auto version = r.u8();
    auto tag = r.u8();
    auto flags = r.u16();
    auto length = r.u32();
    if (!version || !tag || !flags || !length) return Failure{Error::Incomplete};
    if (*version != kVersion) return Failure{Error::UnsupportedVersion};
    if (!isKnownTag(*tag)) return Failure{Error::UnknownTag};
    const auto mark = toMark(*flags);
    if (!mark || (*mark != RelayMark::None && static_cast<Tag>(*tag) != Tag::Relay)) {
        return Failure{Error::ReservedFlags};
    }
    if (*length > kMaxPayload) return Failure{Error::FrameTooLarge};
    return Header{static_cast<Tag>(*tag), *length, *mark};
}

Result<Message, EnvelopeError> decodePayload(const Header& header, ByteView payload) {
    ByteReader r(payload);
    const Tag tag = header.tag;
    switch (tag) {
        case Tag::AgentHello: return decodeAgentHello(r);
        case Tag::ViewerJoin: return decodeViewerJoin(r);
        case Tag::Welcome: return decodeWelcome(r);
        case Tag::Reject: return decodeReject(r);
        case Tag::Ping:
        case Tag::Pong: {
            auto nonce = r.u64();
            if (!nonce) return Failure{Error::MalformedPayload};
            if (tag == Tag::Ping) return finish(r, Ping{*nonce});
            return finish(r, Pong{*nonce});
        }
        case Tag::ViewerJoined: return decodeViewerJoined(r);
        case Tag::ViewerLeft: {
            auto viewer = r.u32();
            auto reason = r.u16();
            if (!viewer || !reason) return Failure{Error::MalformedPayload};
            return finish(r, ViewerLeft{*viewer, *reason});
        }
        case Tag::SessionEnd: {
            auto id = readId(r);
            auto reason = r.u16();
            if (!id || !reason) return Failure{Error::MalformedPayload};
            return finish(r, SessionEnd{*id, *reason});
        }
        case Tag::Relay: return decodeRelay(r, header.mark);
        case Tag::ViewerInfo: return decodeViewerInfo(r);
        case Tag::AgentStatus: return decodeAgentStatus(r);
        case Tag::AgentInfo: return decodeAgentInfo(r);
        case Tag::AgentChallenge: return decodeAgentChallenge(r);
        case Tag::AgentProof: return decodeAgentProof(r);
        case Tag::AgentInventory: return decodeAgentInventory(r);
        case Tag::WakeOnLan: return decodeWakeOnLan(r);
    }
    return Failure{Error::UnknownTag};
}

Result<Message, EnvelopeError> decodeFrame(ByteView frame) {
    auto header = decodeHeader(frame.first(std::min(frame.size(), kHeaderSize)));
    if (!header) return Failure{header.error()};
    auto body = frame.subspan(kHeaderSize);
    if (body.size() < header->payloadLength) return Failure{Error::Incomplete};
    if (body.size() > header->payloadLength) return Failure{Error::MalformedPayload};
    return decodePayload(*header, body);
}

Result<Bytes, EnvelopeError> encodeFrame(const Message& message) {
    ByteWriter payload;
    if (!encodePayload(payload, message)) return Failure{Error::InvalidField};
    if (payload.size() > kMaxPayload) return Failure{Error::FrameTooLarge};
    ByteWriter frame(kHeaderSize + payload.size());
    frame.u8(kVersion);
    frame.u8(static_cast<std::uint8_t>(kTagByIndex[message.index()]));
    const auto* relay = std::get_if<Relay>(&message);
    frame.u16(static_cast<std::uint16_t>(relay ? relay->mark : RelayMark::None));
    frame.u32(static_cast<std::uint32_t>(payload.size()));
    frame.bytes(payload.take());
    return frame.take();
}

}  // namespace guru::envelope
