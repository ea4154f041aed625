// Handover messages and the pipe name (elevation_handover.h).
#include "core/elevation_handover.h"

#include <algorithm>

namespace guru::handover {

namespace {

constexpr char kHex[] = "0123456789abcdef";

/// Checks the size bounds and the magic; the reader is left just past the magic.
std::optional<Error> checkFrame(ByteView bytes, std::size_t minSize, std::size_t maxSize, ByteReader& r) {
    if (bytes.size() < minSize) return Error::Truncated;
    if (bytes.size() > maxSize) return Error::TrailingBytes;
    auto magic = r.bytes(kMagic.size());
    if (!magic || !std::equal(magic->begin(), magic->end(), asBytes(kMagic).begin())) return Error::BadMagic;
    return std::nullopt;
}

void writeList(ByteWriter& w, const std::vector<std::uint32_t>& ids) {
    const std::size_t n = std::min(ids.size(), kMaxListedViewers);
    w.u8(static_cast<std::uint8_t>(n));
    for (std::size_t i = 0; i < n; ++i) w.u32(ids[i]);
}

std::optional<std::vector<std::uint32_t>> readList(ByteReader& r, std::optional<Error>& error) {
    auto n = r.u8();
    if (!n) {
        error = Error::Truncated;
        return std::nullopt;
    }
    if (*n > kMaxListedViewers) {
        error = Error::InvalidField;
        return std::nullopt;
    }
    std::vector<std::uint32_t> ids;
    for (std::uint8_t i = 0; i < *n; ++i) {
        auto id = r.u32();
        if (!id) {
            error = Error::Truncated;
            return std::nullopt;
        }
        ids.push_back(*id);
    }
    return ids;
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

Bytes encodeOffer(const Offer& offer) {
    ByteWriter w(kOfferMaxSize);
    w.text(kMagic);
    w.u8(offer.consentGiven ? kConsentGiven : 0);
    w.bytes(offer.sessionId);
    w.bytes(offer.identitySeed);
    writeList(w, offer.allowedViewers);
    writeList(w, offer.refusedViewers);
    return w.take();
}

Result<Offer, Error> decodeOffer(ByteView bytes) {
    ByteReader r(bytes);
    if (auto bad = checkFrame(bytes, kOfferMinSize, kOfferMaxSize, r)) return Failure{*bad};
    const std::uint8_t flags = *r.u8();
    if (flags & ~kConsentGiven) return Failure{Error::InvalidField};
    Offer offer;
    offer.consentGiven = (flags & kConsentGiven) != 0;
    const ByteView session = *r.bytes(offer.sessionId.size());
    std::copy(session.begin(), session.end(), offer.sessionId.begin());
    const ByteView seed = *r.bytes(offer.identitySeed.size());
    std::copy(seed.begin(), seed.end(), offer.identitySeed.begin());
    std::optional<Error> error;
    auto allowed = readList(r, error);
    if (!allowed) return Failure{*error};
    auto refused = readList(r, error);
    if (!refused) return Failure{*error};
    if (!r.atEnd()) return Failure{Error::TrailingBytes};
    offer.allowedViewers = std::move(*allowed);
    offer.refusedViewers = std::move(*refused);
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
    if (auto bad = checkFrame(bytes, kAnswerSize, kAnswerSize, r)) return Failure{*bad};
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
