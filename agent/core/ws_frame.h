// WebSocket framing (RFC 6455 §5): client frames out (always masked), server frames in.
// No I/O and no crypto: the caller supplies the masking key, so this file is fuzzable.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::ws {

/// Frame opcodes (RFC 6455 §5.2).
enum class Opcode : std::uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

/// Why the incoming byte stream is not valid WebSocket framing; the stream is then dead.
enum class FrameError : std::uint8_t {
    ReservedBits,           // RSV1-3 set (no extension was negotiated)
    UnknownOpcode,
    MaskedServerFrame,      // a server must not mask (RFC 6455 §5.1)
    FragmentedControl,      // control frame without FIN
    ControlTooLong,         // control payload over 125 bytes
    NonMinimalLength,       // extended length that fits a shorter form
    UnexpectedContinuation, // continuation with no message started
    ExpectedContinuation,   // new data frame while a fragmented message is open
    MessageTooLarge,        // declared length would exceed the message limit
    BadClosePayload,        // close payload of exactly 1 byte
};

/// Short stable name for an error.
const char* name(FrameError e);

/// Largest control-frame payload.
inline constexpr std::size_t kMaxControlPayload = 125;
/// Longest frame header: 2 + 8 (length) + 4 (mask).
inline constexpr std::size_t kMaxFrameHeader = 14;

using MaskKey = std::array<std::byte, 4>;

/// Encodes one frame. Clients pass a fresh random mask key; servers (tests) pass none.
Bytes encodeFrame(Opcode opcode, ByteView payload, std::optional<MaskKey> mask, bool fin = true);

/// A close frame's payload: u16 status code, then a UTF-8 reason.
Bytes closePayload(std::uint16_t code);

/// One thing the decoder produced.
struct Event {
    enum class Kind : std::uint8_t { Message, Ping, Pong, Close };
    Kind kind = Kind::Message;
    Opcode messageType = Opcode::Binary;  // Text or Binary, for Kind::Message
    Bytes payload;                        // message, or ping/pong application data
    std::uint16_t closeCode = 1005;       // for Kind::Close; 1005 = no status given
};

/// Incremental decoder of server frames with fragment reassembly. Every length is checked
/// from the frame header against `maxMessage` before any payload is buffered or reserved.
class FrameDecoder {
public:
    explicit FrameDecoder(std::size_t maxMessage) : maxMessage_(maxMessage) {}

    /// Appends received bytes.
    void feed(ByteView data);
    /// The next complete event, nothing when more bytes are needed, or the (sticky) error.
    Result<std::optional<Event>, FrameError> next();

    /// Bytes received but not yet consumed (tests).
    std::size_t buffered() const { return buffer_.size() - pos_; }

private:
    Result<std::optional<Event>, FrameError> fail(FrameError e) {
        failed_ = e;
        return Failure{e};
    }
    void compact();

    std::size_t maxMessage_;
    Bytes buffer_;
    std::size_t pos_ = 0;
    bool inMessage_ = false;
    Opcode messageType_ = Opcode::Binary;
    Bytes assembled_;
    std::optional<FrameError> failed_;
};

}  // namespace guru::ws
