// The handover of a one-time support session to the same agent relaunched elevated ("Run as
// administrator", issue 18; docs/support.md §4.3). The unelevated agent creates a named pipe
// that only the current user and Administrators may open, under a random name it passes on
// the elevated child's command line; over it the child receives what its own trailer does not
// hold: the identity key (so its AgentProof proves the session's recorded key and the
// technician's pinned key still matches), that the end user has already consented, and which
// of the joined viewers the end user allowed or refused. The child answers once the server
// has welcomed it, and the old agent exits. Wire format:
//   Offer (old → new):  "GCHAND01" ‖ u8 flags (bit 0 consent given; bits 1–7 reserved, 0)
//                       ‖ sessionId (16) ‖ identity seed (32)
//                       ‖ u8 n ‖ n × u32 allowed viewer id ‖ u8 m ‖ m × u32 refused viewer id
//                       (n, m ≤ 16)                                        = 59 … 187 bytes
//   Answer (new → old): "GCHAND01" ‖ u8 status (1 connected, 2 failed)     =   9 bytes
// The OS side (the pipe, its DACL, ShellExecuteExW "runas") is platform/elevation.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.h"
#include "core/envelope.h"
#include "core/result.h"

namespace guru::handover {

/// The 8 bytes that start every handover message (and version it).
inline constexpr std::string_view kMagic = "GCHAND01";
/// Viewer ids an offer lists per kind (allowed, refused): a session's viewers at most.
inline constexpr std::size_t kMaxListedViewers = 16;
/// Sizes: a reader reads no more than kOfferMaxSize, and anything outside is refused.
inline constexpr std::size_t kOfferMinSize = 8 + 1 + 16 + 32 + 1 + 1;
inline constexpr std::size_t kOfferMaxSize = kOfferMinSize + 2 * 4 * kMaxListedViewers;
inline constexpr std::size_t kAnswerSize = 8 + 1;
/// Offer flag bit 0: the end user has already allowed this session.
inline constexpr std::uint8_t kConsentGiven = 0x01;
/// What the pipe's name starts with; 32 lower-case hex digits of randomness follow.
inline constexpr std::string_view kPipePrefix = "guruconnect-elevate-";
inline constexpr std::size_t kPipeRandomBytes = 16;

/// Why a handover message or pipe name was refused.
enum class Error : std::uint8_t {
    Truncated,      // shorter than the message's fixed size
    TrailingBytes,  // longer than it (an oversized message is never read past its size)
    BadMagic,       // not "GCHAND01": another program or another version
    InvalidField,   // a reserved flag bit, an unknown status, too many viewers, a malformed pipe name
    WrongSession,   // the offer is for another support session than this binary's trailer
};

/// Short stable name for an error.
const char* name(Error e);

/// Old → new: the session state the elevated agent takes over.
struct Offer {
    envelope::Id128 sessionId{};
    std::array<std::byte, 32> identitySeed{};  // RFC 8032 seed; secret: never logged
    bool consentGiven = false;
    std::vector<std::uint32_t> allowedViewers;  // keep their consent: not asked again
    std::vector<std::uint32_t> refusedViewers;  // refused: stay held, not asked again
    bool operator==(const Offer&) const = default;
};

/// The elevated agent's answer.
enum class Status : std::uint8_t { Connected = 1, Failed = 2 };

/// The offer's bytes (lists longer than kMaxListedViewers are cut). Secret (the seed): the
/// caller wipes them once written.
Bytes encodeOffer(const Offer& offer);
/// Parses a whole offer; a byte more or less than its lists say is refused.
Result<Offer, Error> decodeOffer(ByteView bytes);
/// Parses an offer and checks it is for `expectedSession` (the child's own trailer).
Result<Offer, Error> acceptOffer(ByteView bytes, const envelope::Id128& expectedSession);

std::array<std::byte, kAnswerSize> encodeAnswer(Status status);
Result<Status, Error> decodeAnswer(ByteView bytes);

/// The pipe's name (without the OS's `\\.\pipe\` prefix) for 16 random bytes.
std::string pipeName(const std::array<std::byte, kPipeRandomBytes>& random);
/// Checks a name from the command line: kPipePrefix then exactly 32 lower-case hex digits.
/// Nothing else is opened, so the argument cannot point the agent at another pipe.
Result<std::string, Error> parsePipeName(std::string_view argument);

}  // namespace guru::handover
