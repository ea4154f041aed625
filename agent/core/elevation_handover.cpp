// Handover messages and the pipe name (elevation_handover.h).
#include "core/elevation_handover.h"

#include <algorithm>

namespace guru::handover {

namespace {

constexpr char kHex[] = "0123456789abcdef";

/// Checks the exact size and the magic; the reader is left just past the magic.
std::optional<Error> checkFrame(ByteView bytes, std::size_t size, ByteReader& r) {
    if (bytes.size() < size) return Error::Truncated;
    if (bytes.size() > size) return Error::TrailingBytes;
    auto magic = r.bytes(kMagic.size());
    if (!magic || !std::equal(magic->begin(), magic->end(), asBytes(kMagic).begin())) return Error::BadMagic;
    return std::nullopt;
}

}  // namespace

const char* name(Error e) {
    switch (e) {
        case Error::Truncated: return "Truncated";
        case Error::TrailingBytes: return "TrailingBytes";
        case Error::BadMagic: return "BadMagic";
        case Error::InvalidField: return "InvalidField";
        case Error::WrongSession: return "WrongSession";
    }
    return "?";
}

std::array<std::byte, kOfferSize> encodeOffer(const Offer& offer) {
    std::array<std::byte, kOfferSize> out{};
    auto at = std::copy(asBytes(kMagic).begin(), asBytes(kMagic).end(), out.begin());
    *at++ = static_cast<std::byte>(offer.consentGiven ? kConsentGiven : 0);
    at = std::copy(offer.sessionId.begin(), offer.sessionId.end(), at);
    std::copy(offer.identitySeed.begin(), offer.identitySeed.end(), at);
    return out;
}

Result<Offer, Error> decodeOffer(ByteView bytes) {
    ByteReader r(bytes);
    if (auto bad = checkFrame(bytes, kOfferSize, r)) return Failure{*bad};
    const std::uint8_t flags = *r.u8();
    if (flags & ~kConsentGiven) return Failure{Error::InvalidField};
    Offer offer;
    offer.consentGiven = (flags & kConsentGiven) != 0;
    const ByteView session = *r.bytes(offer.sessionId.size());
    std::copy(session.begin(), session.end(), offer.sessionId.begin());
    const ByteView seed = *r.bytes(offer.identitySeed.size());
    std::copy(seed.begin(), seed.end(), offer.identitySeed.begin());
    return offer;
}

Result<Offer, Error> acceptOffer(ByteView bytes, const envelope::Id128& expectedSession) {
    auto offer = decodeOffer(bytes);
    if (!offer.ok()) return offer;
    if (offer->sessionId != expectedSession) return Failure{Error::WrongSession};
    return offer;
}

std::array<std::byte, kAnswerSize> encodeAnswer(Status status) {
    std::array<std::byte, kAnswerSize> out{};
    auto at = std::copy(asBytes(kMagic).begin(), asBytes(kMagic).end(), out.begin());
    *at = static_cast<std::byte>(status);
    return out;
}

Result<Status, Error> decodeAnswer(ByteView bytes) {
    ByteReader r(bytes);
    if (auto bad = checkFrame(bytes, kAnswerSize, r)) return Failure{*bad};
    const std::uint8_t status = *r.u8();
    if (status != static_cast<std::uint8_t>(Status::Connected) && status != static_cast<std::uint8_t>(Status::Failed))
        return Failure{Error::InvalidField};
    return static_cast<Status>(status);
}

std::string pipeName(const std::array<std::byte, kPipeRandomBytes>& random) {
    std::string out(kPipePrefix);
    for (std::byte b : random) {
        const auto v = static_cast<std::uint8_t>(b);
        out += kHex[v >> 4];
        out += kHex[v & 0x0F];
    }
    return out;
}

Result<std::string, Error> parsePipeName(std::string_view argument) {
    if (argument.size() != kPipePrefix.size() + 2 * kPipeRandomBytes || !argument.starts_with(kPipePrefix))
        return Failure{Error::InvalidField};
    const auto digits = argument.substr(kPipePrefix.size());
    const bool hex = std::all_of(digits.begin(), digits.end(),
                                 [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (!hex) return Failure{Error::InvalidField};
    return std::string(argument);
}

}  // namespace guru::handover
