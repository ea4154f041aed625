// The envelope: the outer, server-readable protocol layer (docs/protocol.md §2).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::envelope {

/// Wire version this codec speaks; any other version byte is rejected.
inline constexpr std::uint8_t kVersion = 1;
/// Bytes in the fixed header: version, tag, flags (u16), payload length (u32).
inline constexpr std::size_t kHeaderSize = 8;
/// Hard maximum payload size, checked from the header before anything is allocated.
inline constexpr std::uint32_t kMaxPayload = 1u << 20;
/// Longest credential or join token accepted.
inline constexpr std::size_t kMaxTokenSize = 1024;

/// Stable numeric tags; never renumber, only append.
enum class Tag : std::uint8_t {
    AgentHello = 0x01,
    ViewerJoin = 0x02,
    Welcome = 0x03,
    Reject = 0x04,
    AgentChallenge = 0x05,
    AgentProof = 0x06,
    Ping = 0x10,
    Pong = 0x11,
    ViewerJoined = 0x20,
    ViewerLeft = 0x21,
    SessionEnd = 0x22,
    ViewerInfo = 0x23,
    Relay = 0x30,
    AgentStatus = 0x40,
    AgentInfo = 0x41,
    AgentInventory = 0x42,
    WakeOnLan = 0x43,
};

/// Why a frame was rejected; the numeric values appear in the test vectors by name only.
enum class EnvelopeError : std::uint8_t {
    Incomplete,          // fewer bytes than the header or the declared length
    UnsupportedVersion,  // version byte is not kVersion
    UnknownTag,          // tag not in Tag
    ReservedFlags,       // flags field is not zero
    FrameTooLarge,       // declared payload length exceeds kMaxPayload
    MalformedPayload,    // a field runs past the payload or bytes are left over
    InvalidField,        // a field is present but out of its allowed range
};

/// Short stable name for an error, as used in protocol/vectors.
const char* name(EnvelopeError e);

using Id128 = std::array<std::byte, 16>;

/// Whether a viewer controls the machine or only watches.
enum class ViewerMode : std::uint8_t { Control = 0, View = 1 };

/// Agent → server: authenticate with the agent's id and credential.
struct AgentHello {
    Id128 agentId{};
    Bytes credential;
    std::string agentVersion;
    bool operator==(const AgentHello&) const = default;
};
/// Viewer → server: join a session with a join token.
struct ViewerJoin {
    Id128 sessionId{};
    Bytes joinToken;
    ViewerMode mode = ViewerMode::Control;
    bool operator==(const ViewerJoin&) const = default;
};
/// Server → agent or viewer: authenticated; the connection id and heartbeat interval.
struct Welcome {
    std::uint32_t connectionId = 0;
    std::uint16_t heartbeatSeconds = 0;
    bool operator==(const Welcome&) const = default;
};
/// Why the server refused a hello or join.
enum class RejectCode : std::uint16_t {
    BadCredential = 1,
    UnknownSession = 2,
    UnsupportedVersion = 3,
    RateLimited = 4,
    ServerError = 5,
    SessionFull = 6,  // the session has as many viewers as the server allows
};
/// Server → agent or viewer: refused; the server closes the connection after this.
struct Reject {
    RejectCode code = RejectCode::ServerError;
    bool operator==(const Reject&) const = default;
};
/// Bytes of an AgentChallenge nonce.
inline constexpr std::size_t kChallengeNonceSize = 32;
/// Server → agent, after a valid AgentHello: prove the identity key (docs/protocol.md §1.1).
struct AgentChallenge {
    std::array<std::byte, kChallengeNonceSize> nonce{};
    bool operator==(const AgentChallenge&) const = default;
};
/// Agent → server: the agent's Ed25519 identity key and its signature of the proof message
/// (agentProofMessage in core/agent_proof.h).
struct AgentProof {
    std::array<std::byte, 32> identityKey{};
    std::array<std::byte, 64> signature{};
    bool operator==(const AgentProof&) const = default;
};
/// Heartbeat request; either side may send it.
struct Ping {
    std::uint64_t nonce = 0;
    bool operator==(const Ping&) const = default;
};
/// Heartbeat answer, echoing the ping's nonce.
struct Pong {
    std::uint64_t nonce = 0;
    bool operator==(const Pong&) const = default;
};
/// Server → agent: a viewer joined; E2E key exchange with viewerId follows.
struct ViewerJoined {
    Id128 sessionId{};
    std::uint32_t viewerId = 0;
    ViewerMode mode = ViewerMode::Control;
    bool operator==(const ViewerJoined&) const = default;
};
/// Server → agent: a viewer left (or was removed).
struct ViewerLeft {
    std::uint32_t viewerId = 0;
    std::uint16_t reason = 0;
    bool operator==(const ViewerLeft&) const = default;
};
/// Either direction: end a whole session.
struct SessionEnd {
    Id128 sessionId{};
    std::uint16_t reason = 0;
    bool operator==(const SessionEnd&) const = default;
};
/// Server → agent: the display name of a joined viewer's technician (may be empty).
struct ViewerInfo {
    std::uint32_t viewerId = 0;
    std::string name;  // UTF-8, at most 255 bytes
    bool operator==(const ViewerInfo&) const = default;
};
/// Where a support agent's session stands (AgentStatus.state).
enum class SupportState : std::uint8_t {
    WaitingForConsent = 1,
    ConsentGiven = 2,
    ConsentDeclined = 3,
    EndedByUser = 4,
};
/// Agent → server: the support session's state changed (docs/support.md §3).
struct AgentStatus {
    SupportState state = SupportState::WaitingForConsent;
    bool operator==(const AgentStatus&) const = default;
};
/// Agent → server: the machine it runs on, so technicians can tell sessions apart.
struct AgentInfo {
    std::string hostname;  // each UTF-8, at most 255 bytes
    std::string osName;
    std::string userName;
    bool operator==(const AgentInfo&) const = default;
};
/// Bounds of an AgentInventory's JSON, in bytes ("{}" is the shortest object).
inline constexpr std::size_t kMinInventoryJson = 2;
inline constexpr std::size_t kMaxInventoryJson = 65536;
/// Agent → server, enrolled agents only: the machine's inventory as one UTF-8 JSON object
/// (docs/protocol.md §2.6; built by core/inventory.h). The codec checks the length and the
/// UTF-8; the server checks the JSON.
struct AgentInventory {
    std::string json;
    bool operator==(const AgentInventory&) const = default;
};
/// Server → agent: broadcast a Wake-on-LAN magic packet for `mac` to `broadcast`:9 (IPv4,
/// network order). A MAC of all zeros or all 0xff is InvalidField.
struct WakeOnLan {
    std::array<std::byte, 6> mac{};
    std::array<std::byte, 4> broadcast{};
    bool operator==(const WakeOnLan&) const = default;
};
/// How the agent marks a record for the relay, in the header's flags (docs/protocol.md §2.5):
/// the records of a picture frame may be dropped by the relay, whole frames only.
enum class RelayMark : std::uint16_t {
    None = 0x0000,      // never dropped: key shares, layout, cursor, clipboard
    Picture = 0x0001,   // a record of a picture frame (its TileUpdates)
    FrameEnd = 0x0003,  // the last record of a picture frame (its FrameEnd)
};

/// An opaque E2E payload. On the agent link peerId names the viewer (to or from);
/// on a viewer link it is 0 (the server knows the viewer's agent).
struct Relay {
    std::uint32_t peerId = 0;
    Bytes sealed;
    RelayMark mark = RelayMark::None;
    bool operator==(const Relay&) const = default;
};

/// One decoded envelope message.
using Message = std::variant<AgentHello, ViewerJoin, Welcome, Reject, Ping, Pong, ViewerJoined,
                             ViewerLeft, SessionEnd, Relay, ViewerInfo, AgentStatus, AgentInfo,
                             AgentChallenge, AgentProof, AgentInventory, WakeOnLan>;

/// The parsed fixed header of a frame.
struct Header {
    Tag tag;
    std::uint32_t payloadLength;
    RelayMark mark = RelayMark::None;  // non-None only on Relay
};

/// Parses and validates the 8-byte header alone (version, tag, flags, size limit). Only Relay
/// may carry flags, and only a RelayMark's.
Result<Header, EnvelopeError> decodeHeader(ByteView header);

/// Decodes exactly one whole frame (a WebSocket binary message): header plus payload.
Result<Message, EnvelopeError> decodeFrame(ByteView frame);

/// Decodes a payload for an already validated header (its mark goes into a Relay).
Result<Message, EnvelopeError> decodePayload(const Header& header, ByteView payload);

/// Encodes one message as a frame; fails with FrameTooLarge or InvalidField.
Result<Bytes, EnvelopeError> encodeFrame(const Message& message);

}  // namespace guru::envelope
