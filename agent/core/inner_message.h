// Messages inside the E2E channel (docs/protocol.md §4); the relay never sees these.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::inner {

/// Stable type bytes of inner messages; never renumber, only append.
enum class Type : std::uint8_t {
    MonitorLayout = 0x01,
    SessionInfo = 0x02,
    TileUpdate = 0x10,
    FrameEnd = 0x11,
    FrameAck = 0x12,
    CursorImage = 0x20,
    CursorPosition = 0x21,
    PointerMove = 0x30,
    PointerButton = 0x31,
    Wheel = 0x32,
    Key = 0x33,
    ClipboardText = 0x40,
    ChannelClosed = 0x50,
    DiagnosticsRequest = 0x60,
    DiagnosticsReport = 0x61,
};

/// Why an inner message was rejected.
enum class InnerError : std::uint8_t { Empty, UnknownType, Truncated, TrailingBytes, InvalidField };

/// Short stable name for an error, as used in protocol/vectors.
const char* name(InnerError e);

/// Largest cursor image accepted, per side.
inline constexpr std::uint16_t kMaxCursorSide = 256;
/// Largest number of monitors described.
inline constexpr std::uint8_t kMaxMonitors = 16;

/// One monitor in desktop coordinates.
struct Monitor {
    std::int32_t x = 0, y = 0;
    std::uint16_t width = 0, height = 0;
    bool primary = false;
    bool operator==(const Monitor&) const = default;
};
/// Agent → viewer: the desktop's monitors (sent at start and on every change).
struct MonitorLayout {
    std::vector<Monitor> monitors;
    bool operator==(const MonitorLayout&) const = default;
};
/// How the agent delivers Ctrl+Alt+Del (SessionInfo's wire values; never renumber).
enum class SecureAttention : std::uint8_t {
    Keys = 0,         ///< sent as ordinary key events (X11: the desktop decides what it means)
    Sas = 1,          ///< the agent turns the Ctrl+Alt+Del chord into SendSAS (Windows service)
    Unavailable = 2,  ///< the agent cannot deliver it (Windows, not running as a service)
};
/// Longest capture-path name in SessionInfo, in bytes.
inline constexpr std::size_t kMaxCaptureName = 32;
/// SessionInfo's flags byte: bit 0, the agent runs elevated. Bits 1–7 are reserved (0).
inline constexpr std::uint8_t kSessionElevated = 0x01;
/// Agent → viewer, right after the MonitorLayout that starts a viewer's stream: what this
/// agent can do. The flags byte carries `elevated`; its other bits are 0 on the wire.
struct SessionInfo {
    std::string captureName;  // "xshm", "gdi", "dxgi"... (UTF-8, 1..32 bytes)
    SecureAttention secureAttention = SecureAttention::Keys;
    bool elevated = false;  // Windows: an elevated token (TokenElevation); Linux: euid 0
    bool operator==(const SessionInfo&) const = default;
};
/// How a tile's bytes are encoded. 1–3 are images a browser's createImageBitmap decodes; Vp8
/// is one frame of a video stream over the rectangle: `u8 flags` (bit 0 keyframe, the rest 0)
/// then the VP8 frame, decoded by WebCodecs.
enum class TileEncoding : std::uint8_t { Jpeg = 1, Png = 2, WebpLossless = 3, Vp8 = 4 };
/// Flags byte of a Vp8 tile: the frame is a keyframe (starts a stream).
inline constexpr std::uint8_t kVideoKeyframe = 0x01;
/// Agent → viewer: one changed rectangle of the desktop.
struct TileUpdate {
    std::uint16_t x = 0, y = 0, width = 0, height = 0;
    TileEncoding encoding = TileEncoding::Jpeg;
    Bytes data;
    bool operator==(const TileUpdate&) const = default;
};
/// Agent → viewer: all tiles of frame `sequence` were sent.
struct FrameEnd {
    std::uint32_t sequence = 0;
    bool operator==(const FrameEnd&) const = default;
};
/// Viewer → agent: frame `sequence` was painted (flow control).
struct FrameAck {
    std::uint32_t sequence = 0;
    bool operator==(const FrameAck&) const = default;
};
/// Agent → viewer: a new cursor image, RGBA (non-premultiplied), row-major.
struct CursorImage {
    std::uint16_t width = 0, height = 0, hotX = 0, hotY = 0;
    Bytes rgba;
    bool operator==(const CursorImage&) const = default;
};
/// Agent → viewer: where the cursor is.
struct CursorPosition {
    std::int32_t x = 0, y = 0;
    bool visible = true;
    bool operator==(const CursorPosition&) const = default;
};
/// Viewer → agent: absolute pointer position in desktop coordinates.
struct PointerMove {
    std::int32_t x = 0, y = 0;
    bool operator==(const PointerMove&) const = default;
};
/// Mouse buttons, numbered like the DOM's MouseEvent.button.
enum class Button : std::uint8_t { Left = 0, Middle = 1, Right = 2, Back = 3, Forward = 4 };
/// Viewer → agent: a button went down or up.
struct PointerButton {
    Button button = Button::Left;
    bool pressed = false;
    bool operator==(const PointerButton&) const = default;
};
/// Viewer → agent: scroll, in 1/120 of a notch (Windows WHEEL_DELTA units); +y scrolls down.
struct Wheel {
    std::int16_t dx = 0, dy = 0;
    bool operator==(const Wheel&) const = default;
};
/// Modifier bits carried with key events.
enum Modifier : std::uint8_t {
    Shift = 1, Control = 2, Alt = 4, Meta = 8, AltGraph = 16, CapsLock = 32,
};
/// Viewer → agent: KeyboardEvent.code (layout-independent) and .key (produced text).
struct Key {
    bool pressed = false;
    std::uint8_t modifiers = 0;
    std::string code;  // e.g. "KeyA", "Digit2", "F5" (ASCII, ≤ 64 bytes)
    std::string key;   // e.g. "a", "é", "€", "Enter" (UTF-8, ≤ 64 bytes)
    bool operator==(const Key&) const = default;
};
/// Either direction: clipboard text, UTF-8.
struct ClipboardText {
    std::string text;
    bool operator==(const ClipboardText&) const = default;
};

/// Why the agent ended a viewer's channel (ChannelClosed's wire values; never renumber).
enum class CloseReason : std::uint8_t {
    MissingRecord = 1,     ///< a record from the viewer never arrived (deleted on the way)
    UnexpectedRecord = 2,  ///< the viewer sent a record kind the agent never accepts
};
/// Agent → viewer, the last record of a channel: the agent stopped reading this viewer.
struct ChannelClosed {
    CloseReason reason = CloseReason::MissingRecord;
    bool operator==(const ChannelClosed&) const = default;
};

/// Largest DiagnosticsReport JSON, in bytes (docs/protocol.md §4).
inline constexpr std::size_t kMaxDiagnosticsReport = 262144;
/// Viewer → agent: collect a diagnostics snapshot; `requestId` (≥ 1) comes back in the report.
struct DiagnosticsRequest {
    std::uint32_t requestId = 0;
    bool operator==(const DiagnosticsRequest&) const = default;
};
/// Agent → viewer: the answer to the DiagnosticsRequest `requestId` (≥ 1): UTF-8 JSON
/// (schema 1), 1..kMaxDiagnosticsReport bytes. The codec checks size and UTF-8, not the JSON.
struct DiagnosticsReport {
    std::uint32_t requestId = 0;
    std::string json;
    bool operator==(const DiagnosticsReport&) const = default;
};

/// One inner message.
using Message = std::variant<MonitorLayout, TileUpdate, FrameEnd, FrameAck, CursorImage,
                             CursorPosition, PointerMove, PointerButton, Wheel, Key,
                             ClipboardText, SessionInfo, ChannelClosed, DiagnosticsRequest,
                             DiagnosticsReport>;

/// Every input record's sealed plaintext is padded to this many bytes (docs/protocol.md
/// §3.3), so that its size does not tell a key from a modifier or a click: the largest Key
/// (133 bytes) plus the 2-byte padding length fits.
inline constexpr std::size_t kInputPlaintextSize = 136;

/// True for what travels as a picture record (may be dropped by the relay, gaps allowed):
/// tiles, frame ends and the cursor. Everything else is ordered.
bool isPicture(const Message& message);

/// Decodes exactly one inner message (the whole opened plaintext).
Result<Message, InnerError> decode(ByteView plaintext);

/// Encodes one inner message; InvalidField when a field cannot be represented.
Result<Bytes, InnerError> encode(const Message& message);

}  // namespace guru::inner
