// Inner message encoding; layouts in docs/protocol.md §4.
#include <type_traits>

#include "core/inner_message.h"
#include "core/utf8.h"

namespace guru::inner {
namespace {

using Error = InnerError;
constexpr std::size_t kMaxKeyField = 64;

template <typename T>
Result<Message, Error> finish(ByteReader& r, T value) {
    if (!r.atEnd()) return Failure{Error::TrailingBytes};
    return Message{std::move(value)};
}

std::optional<std::string> shortString(ByteReader& r) {
    auto len = r.u8();
    if (!len) return std::nullopt;
    auto b = r.bytes(*len);
    if (!b) return std::nullopt;
    return toString(*b);
}

Result<Message, Error> decodeLayout(ByteReader& r) {
    auto count = r.u8();
    if (!count) return Failure{Error::Truncated};
    if (*count == 0 || *count > kMaxMonitors) return Failure{Error::InvalidField};
    if (r.remaining() < std::size_t{*count} * 13) return Failure{Error::Truncated};
    MonitorLayout m;
    m.monitors.reserve(*count);  // bounded by kMaxMonitors and checked length
    for (std::uint8_t i = 0; i < *count; ++i) {
        Monitor mon;
        mon.x = *r.i32();
        mon.y = *r.i32();
        mon.width = *r.u16();
        mon.height = *r.u16();
        auto primary = *r.u8();
        if (primary > 1 || mon.width == 0 || mon.height == 0) return Failure{Error::InvalidField};
        mon.primary = primary == 1;
        m.monitors.push_back(mon);
    }
    return finish(r, std::move(m));
}

/// Image bytes are opaque but never empty; a video frame is a flags byte (only the keyframe
/// bit may be set) and at least one byte of VP8.
bool validTileData(TileEncoding encoding, ByteView data) {
    if (encoding != TileEncoding::Vp8) return !data.empty();
    return data.size() >= 2 && (static_cast<std::uint8_t>(data[0]) & ~kVideoKeyframe) == 0;
}

Result<Message, Error> decodeTile(ByteReader& r) {
    auto x = r.u16(), y = r.u16(), w = r.u16(), h = r.u16();
    auto enc = r.u8();
    if (!x || !y || !w || !h || !enc) return Failure{Error::Truncated};
    if (*w == 0 || *h == 0 || *enc < 1 || *enc > 4) return Failure{Error::InvalidField};
    auto data = r.rest();
    if (!validTileData(static_cast<TileEncoding>(*enc), data)) return Failure{Error::InvalidField};
    return Message{TileUpdate{*x, *y, *w, *h, static_cast<TileEncoding>(*enc),
                              Bytes(data.begin(), data.end())}};
}

Result<Message, Error> decodeCursorImage(ByteReader& r) {
    auto w = r.u16(), h = r.u16(), hx = r.u16(), hy = r.u16();
    if (!w || !h || !hx || !hy) return Failure{Error::Truncated};
    if (*w == 0 || *h == 0 || *w > kMaxCursorSide || *h > kMaxCursorSide || *hx >= *w ||
        *hy >= *h) {
        return Failure{Error::InvalidField};
    }
    auto pixels = r.bytes(std::size_t{*w} * *h * 4);
    if (!pixels) return Failure{Error::Truncated};
    return finish(r, CursorImage{*w, *h, *hx, *hy, Bytes(pixels->begin(), pixels->end())});
}

Result<Message, Error> decodeKey(ByteReader& r) {
    auto pressed = r.u8();
    auto mods = r.u8();
    if (!pressed || !mods) return Failure{Error::Truncated};
    auto code = shortString(r);
    if (!code) return Failure{Error::Truncated};
    auto key = shortString(r);
    if (!key) return Failure{Error::Truncated};
    if (*pressed > 1 || (*mods & 0xC0) || code->size() > kMaxKeyField ||
        key->size() > kMaxKeyField || (code->empty() && key->empty())) {
        return Failure{Error::InvalidField};
    }
    return finish(r, Key{*pressed == 1, *mods, std::move(*code), std::move(*key)});
}

/// The capture name is 1..kMaxCaptureName bytes of UTF-8; secureAttention 0..2; of the
/// flags only the elevated bit may be set. Lengths are judged before anything is copied.
bool validSessionInfo(ByteView name, std::uint8_t secureAttention, std::uint8_t flags) {
    return !name.empty() && name.size() <= kMaxCaptureName && isValidUtf8(name) &&
           secureAttention <= static_cast<std::uint8_t>(SecureAttention::Unavailable) &&
           (flags & ~kSessionElevated) == 0;
}

Result<Message, Error> decodeSessionInfo(ByteReader& r) {
    auto len = r.u8();
    if (!len) return Failure{Error::Truncated};
    auto name = r.bytes(*len);
    if (!name) return Failure{Error::Truncated};
    auto secureAttention = r.u8(), flags = r.u8();
    if (!secureAttention || !flags) return Failure{Error::Truncated};
    if (!validSessionInfo(*name, *secureAttention, *flags)) return Failure{Error::InvalidField};
    return finish(r, SessionInfo{toString(*name), static_cast<SecureAttention>(*secureAttention),
                                 (*flags & kSessionElevated) != 0});
}

bool validCloseReason(std::uint8_t reason) {
    return reason >= static_cast<std::uint8_t>(CloseReason::MissingRecord) &&
           reason <= static_cast<std::uint8_t>(CloseReason::UnexpectedRecord);
}

/// A report's JSON is 1..kMaxDiagnosticsReport bytes of UTF-8; the size is judged first.
bool validReportText(ByteView json) {
    return !json.empty() && json.size() <= kMaxDiagnosticsReport && isValidUtf8(json);
}

Result<Message, Error> decodeDiagnosticsRequest(ByteReader& r) {
    auto id = r.u32();
    if (!id) return Failure{Error::Truncated};
    if (*id == 0) return Failure{Error::InvalidField};
    return finish(r, DiagnosticsRequest{*id});
}

Result<Message, Error> decodeDiagnosticsReport(ByteReader& r) {
    auto id = r.u32();
    if (!id) return Failure{Error::Truncated};
    auto json = r.rest();
    if (*id == 0 || !validReportText(json)) return Failure{Error::InvalidField};
    return Message{DiagnosticsReport{*id, toString(json)}};
}

void encodeBody(ByteWriter& w, const Message& message, bool& valid) {
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, MonitorLayout>) {
                valid = !m.monitors.empty() && m.monitors.size() <= kMaxMonitors;
                w.u8(static_cast<std::uint8_t>(m.monitors.size()));
                for (const auto& mon : m.monitors) {
                    valid = valid && mon.width && mon.height;
                    w.i32(mon.x); w.i32(mon.y); w.u16(mon.width); w.u16(mon.height);
                    w.u8(mon.primary ? 1 : 0);
                }
            } else if constexpr (std::is_same_v<T, TileUpdate>) {
                valid = m.width && m.height && validTileData(m.encoding, m.data);
                w.u16(m.x); w.u16(m.y); w.u16(m.width); w.u16(m.height);
                w.u8(static_cast<std::uint8_t>(m.encoding));
                w.bytes(m.data);
            } else if constexpr (std::is_same_v<T, FrameEnd> || std::is_same_v<T, FrameAck>) {
                w.u32(m.sequence);
            } else if constexpr (std::is_same_v<T, CursorImage>) {
                valid = m.width && m.height && m.width <= kMaxCursorSide &&
                        m.height <= kMaxCursorSide && m.hotX < m.width && m.hotY < m.height &&
                        m.rgba.size() == std::size_t{m.width} * m.height * 4;
                w.u16(m.width); w.u16(m.height); w.u16(m.hotX); w.u16(m.hotY);
                w.bytes(m.rgba);
            } else if constexpr (std::is_same_v<T, CursorPosition>) {
                w.i32(m.x); w.i32(m.y); w.u8(m.visible ? 1 : 0);
            } else if constexpr (std::is_same_v<T, PointerMove>) {
                w.i32(m.x); w.i32(m.y);
            } else if constexpr (std::is_same_v<T, PointerButton>) {
                w.u8(static_cast<std::uint8_t>(m.button)); w.u8(m.pressed ? 1 : 0);
            } else if constexpr (std::is_same_v<T, Wheel>) {
                w.i16(m.dx); w.i16(m.dy);
            } else if constexpr (std::is_same_v<T, Key>) {
                valid = m.code.size() <= kMaxKeyField && m.key.size() <= kMaxKeyField &&
                        !(m.code.empty() && m.key.empty()) && !(m.modifiers & 0xC0);
                w.u8(m.pressed ? 1 : 0); w.u8(m.modifiers);
                w.u8(static_cast<std::uint8_t>(m.code.size())); w.text(m.code);
                w.u8(static_cast<std::uint8_t>(m.key.size())); w.text(m.key);
            } else if constexpr (std::is_same_v<T, ClipboardText>) {
                w.text(m.text);
            } else if constexpr (std::is_same_v<T, ChannelClosed>) {
                valid = validCloseReason(static_cast<std::uint8_t>(m.reason));
                w.u8(static_cast<std::uint8_t>(m.reason));
            } else if constexpr (std::is_same_v<T, DiagnosticsRequest>) {
                valid = m.requestId != 0;
                w.u32(m.requestId);
            } else if constexpr (std::is_same_v<T, DiagnosticsReport>) {
                valid = m.requestId != 0 && validReportText(asBytes(m.json));
                w.u32(m.requestId); w.text(m.json);
            } else if constexpr (std::is_same_v<T, SessionInfo>) {
                const auto secureAttention = static_cast<std::uint8_t>(m.secureAttention);
                const std::uint8_t flags = m.elevated ? kSessionElevated : 0;
                valid = validSessionInfo(asBytes(m.captureName), secureAttention, flags);
                w.u8(static_cast<std::uint8_t>(m.captureName.size())); w.text(m.captureName);
                w.u8(secureAttention); w.u8(flags);
            }
        },
        message);
}

constexpr Type kTypeByIndex[] = {Type::MonitorLayout, Type::TileUpdate,    Type::FrameEnd,
                                 Type::FrameAck,      Type::CursorImage,   Type::CursorPosition,
                                 Type::PointerMove,   Type::PointerButton, Type::Wheel,
                                 Type::Key,           Type::ClipboardText, Type::SessionInfo,
                                 Type::ChannelClosed, Type::DiagnosticsRequest,
                                 Type::DiagnosticsReport};
static_assert(std::size(kTypeByIndex) == std::variant_size_v<Message>);

}  // namespace

const char* name(InnerError e) {
    switch (e) {
        case Error::Empty: return "Empty";
        case Error::UnknownType: return "UnknownType";
        case Error::Truncated: return "Truncated";
        case Error::TrailingBytes: return "TrailingBytes";
        case Error::InvalidField: return "InvalidField";
    }
    return "?";
}

Result<Message, InnerError> decode(ByteView plaintext) {
    ByteReader r(plaintext);
    auto type = r.u8();
    if (!type) return Failure{Error::Empty};
    switch (static_cast<Type>(*type)) {
        case Type::MonitorLayout: return decodeLayout(r);
        case Type::SessionInfo: return decodeSessionInfo(r);
        case Type::TileUpdate: return decodeTile(r);
        case Type::FrameEnd:
        case Type::FrameAck: {
            auto seq = r.u32();
            if (!seq) return Failure{Error::Truncated};
            if (static_cast<Type>(*type) == Type::FrameEnd) return finish(r, FrameEnd{*seq});
            return finish(r, FrameAck{*seq});
        }
        case Type::CursorImage: return decodeCursorImage(r);
        case Type::CursorPosition: {
            auto x = r.i32(), y = r.i32();
            auto visible = r.u8();
            if (!x || !y || !visible) return Failure{Error::Truncated};
            if (*visible > 1) return Failure{Error::InvalidField};
            return finish(r, CursorPosition{*x, *y, *visible == 1});
        }
        case Type::PointerMove: {
            auto x = r.i32(), y = r.i32();
            if (!x || !y) return Failure{Error::Truncated};
            return finish(r, PointerMove{*x, *y});
        }
        case Type::PointerButton: {
            auto button = r.u8(), pressed = r.u8();
            if (!button || !pressed) return Failure{Error::Truncated};
            if (*button > 4 || *pressed > 1) return Failure{Error::InvalidField};
            return finish(r, PointerButton{static_cast<Button>(*button), *pressed == 1});
        }
        case Type::Wheel: {
            auto dx = r.i16(), dy = r.i16();
            if (!dx || !dy) return Failure{Error::Truncated};
            return finish(r, Wheel{*dx, *dy});
        }
        case Type::Key: return decodeKey(r);
        case Type::ClipboardText: return Message{ClipboardText{toString(r.rest())}};
        case Type::ChannelClosed: {
            auto reason = r.u8();
            if (!reason) return Failure{Error::Truncated};
            if (!validCloseReason(*reason)) return Failure{Error::InvalidField};
            return finish(r, ChannelClosed{static_cast<CloseReason>(*reason)});
        }
        case Type::DiagnosticsRequest: return decodeDiagnosticsRequest(r);
        case Type::DiagnosticsReport: return decodeDiagnosticsReport(r);
    }
    return Failure{Error::UnknownType};
}

bool isPicture(const Message& message) {
    return std::holds_alternative<TileUpdate>(message) || std::holds_alternative<FrameEnd>(message) ||
           std::holds_alternative<CursorImage>(message) || std::holds_alternative<CursorPosition>(message);
}

Result<Bytes, InnerError> encode(const Message& message) {
    ByteWriter w;
    w.u8(static_cast<std::uint8_t>(kTypeByIndex[message.index()]));
    bool valid = true;
    encodeBody(w, message, valid);
    if (!valid) return Failure{Error::InvalidField};
    return w.take();
}

}  // namespace guru::inner
