// WebSocket frame encoding and the bounds-checked incremental decoder.
#include "core/ws_frame.h"

#include <algorithm>

namespace guru::ws {

const char* name(FrameError e) {
    switch (e) {
        case FrameError::ReservedBits: return "ReservedBits";
        case FrameError::UnknownOpcode: return "UnknownOpcode";
        case FrameError::MaskedServerFrame: return "MaskedServerFrame";
        case FrameError::FragmentedControl: return "FragmentedControl";
        case FrameError::ControlTooLong: return "ControlTooLong";
        case FrameError::NonMinimalLength: return "NonMinimalLength";
        case FrameError::UnexpectedContinuation: return "UnexpectedContinuation";
        case FrameError::ExpectedContinuation: return "ExpectedContinuation";
        case FrameError::MessageTooLarge: return "MessageTooLarge";
        case FrameError::BadClosePayload: return "BadClosePayload";
    }
    return "?";
}

namespace {

bool isControl(std::uint8_t op) { return op >= 0x8; }

bool knownOpcode(std::uint8_t op) {
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

}  // namespace

Bytes encodeFrame(Opcode opcode, ByteView payload, std::optional<MaskKey> mask, bool fin) {
    ByteWriter out(kMaxFrameHeader + payload.size());
    out.u8(static_cast<std::uint8_t>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode)));
    const std::uint8_t maskBit = mask ? 0x80 : 0x00;
    if (payload.size() < 126) {
        out.u8(static_cast<std::uint8_t>(maskBit | payload.size()));
    } else if (payload.size() <= 0xFFFF) {
        out.u8(maskBit | 126);
        out.u16(static_cast<std::uint16_t>(payload.size()));
    } else {
        out.u8(maskBit | 127);
        out.u64(payload.size());
    }
    if (!mask) {
        out.bytes(payload);
        return out.take();
    }
    out.bytes(*mask);
    Bytes frame = out.take();
    const std::size_t start = frame.size();
    frame.resize(start + payload.size());
    for (std::size_t i = 0; i < payload.size(); ++i) {
        frame[start + i] = payload[i] ^ (*mask)[i & 3];
    }
    return frame;
}

Bytes closePayload(std::uint16_t code) {
    ByteWriter out(2);
    out.u16(code);
    return out.take();
}

void FrameDecoder::feed(ByteView data) {
    if (failed_) return;
    buffer_.insert(buffer_.end(), data.begin(), data.end());
}

void FrameDecoder::compact() {
    if (pos_ == buffer_.size()) {
        buffer_.clear();
        pos_ = 0;
    } else if (pos_ >= 65536) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos_));
        pos_ = 0;
    }
}

Result<std::optional<Event>, FrameError> FrameDecoder::next() {
    if (failed_) return Failure{*failed_};
    for (;;) {
        ByteReader r(ByteView(buffer_).subspan(pos_));
        auto b0 = r.u8();
        auto b1 = r.u8();
        if (!b0 || !b1) return std::optional<Event>{};
        const bool fin = (*b0 & 0x80) != 0;
        const std::uint8_t op = *b0 & 0x0F;
        if ((*b0 & 0x70) != 0) return fail(FrameError::ReservedBits);
        if (!knownOpcode(op)) return fail(FrameError::UnknownOpcode);
        if ((*b1 & 0x80) != 0) return fail(FrameError::MaskedServerFrame);
        std::uint64_t length = *b1 & 0x7F;
        if (isControl(op)) {
            if (!fin) return fail(FrameError::FragmentedControl);
            if (length > kMaxControlPayload) return fail(FrameError::ControlTooLong);
        }
        if (length == 126) {
            auto l = r.u16();
            if (!l) return std::optional<Event>{};
            if (*l < 126) return fail(FrameError::NonMinimalLength);
            length = *l;
        } else if (length == 127) {
            auto l = r.u64();
            if (!l) return std::optional<Event>{};
            if (*l <= 0xFFFF) return fail(FrameError::NonMinimalLength);
            length = *l;  // a set top bit is simply over any limit below
        }
        if (!isControl(op)) {
            if (op == 0x0 && !inMessage_) return fail(FrameError::UnexpectedContinuation);
            if (op != 0x0 && inMessage_) return fail(FrameError::ExpectedContinuation);
            // The limit is checked here, from the header alone, before waiting for the
            // payload or reserving anything for it.
            const std::size_t have = inMessage_ ? assembled_.size() : 0;
            if (length > maxMessage_ - have) return fail(FrameError::MessageTooLarge);
        }
        if (r.remaining() < length) return std::optional<Event>{};
        const std::size_t headerSize = buffer_.size() - pos_ - r.remaining();
        ByteView payload = *r.bytes(static_cast<std::size_t>(length));
        pos_ += headerSize + static_cast<std::size_t>(length);

        if (isControl(op)) {
            Event ev;
            if (op == 0x8) {
                ev.kind = Event::Kind::Close;
                if (payload.size() == 1) return fail(FrameError::BadClosePayload);
                if (payload.size() >= 2) {
                    ev.closeCode = static_cast<std::uint16_t>(
                        (static_cast<unsigned>(payload[0]) << 8) | static_cast<unsigned>(payload[1]));
                }
            } else {
                ev.kind = op == 0x9 ? Event::Kind::Ping : Event::Kind::Pong;
                ev.payload.assign(payload.begin(), payload.end());
            }
            compact();
            return std::optional<Event>{std::move(ev)};
        }
        if (op != 0x0) {
            inMessage_ = true;
            messageType_ = static_cast<Opcode>(op);
            assembled_.clear();
        }
        assembled_.insert(assembled_.end(), payload.begin(), payload.end());
        compact();
        if (fin) {
            inMessage_ = false;
            Event ev;
            ev.kind = Event::Kind::Message;
            ev.messageType = messageType_;
            ev.payload = std::move(assembled_);
            assembled_ = {};
            return std::optional<Event>{std::move(ev)};
        }
    }
}

}  // namespace guru::ws
