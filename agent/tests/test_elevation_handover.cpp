// The elevation handover's messages and pipe name (core/elevation_handover.h): round trips,
// every byte checked, and malformed, truncated and oversized input refused.
#include <doctest/doctest.h>

#include "core/elevation_handover.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::handover;
using guru::test::fromHex;
using guru::test::toHex;

namespace {

Offer sampleOffer(bool consent) {
    Offer offer;
    for (std::size_t i = 0; i < offer.sessionId.size(); ++i) offer.sessionId[i] = std::byte(0xA0 + i);
    for (std::size_t i = 0; i < offer.identitySeed.size(); ++i) offer.identitySeed[i] = std::byte(i);
    offer.consentGiven = consent;
    offer.allowedViewers = {7, 0x01020304};
    offer.refusedViewers = {9};
    return offer;
}


}  // namespace

TEST_CASE("an offer is magic, flags, session id, seed and the viewer lists, and decodes to itself") {
    const Offer offer = sampleOffer(true);
    const auto bytes = encodeOffer(offer);
    CHECK(toHex(bytes) ==
          "474348414e443031"                           // "GCHAND01"
          "01"                                         // consent given
          "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"           // session id
          "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"    // seed
          "02" "00000007" "01020304"                   // allowed viewers
          "01" "00000009");                            // refused viewers
    auto decoded = decodeOffer(bytes);
    REQUIRE(decoded.ok());
    CHECK(*decoded == offer);
    auto without = decodeOffer(encodeOffer(sampleOffer(false)));
    REQUIRE(without.ok());
    CHECK_FALSE(without->consentGiven);
    Offer empty = sampleOffer(true);
    empty.allowedViewers.clear();
    empty.refusedViewers.clear();
    CHECK(encodeOffer(empty).size() == kOfferMinSize);
    CHECK(decodeOffer(encodeOffer(empty)).value() == empty);
}

TEST_CASE("an offer lists at most 16 viewers of each kind; a longer list is refused") {
    Offer full = sampleOffer(true);
    full.allowedViewers.clear();
    full.refusedViewers.clear();
    for (std::uint32_t i = 1; i <= 20; ++i) full.allowedViewers.push_back(i);
    for (std::uint32_t i = 101; i <= 116; ++i) full.refusedViewers.push_back(i);
    const Bytes bytes = encodeOffer(full);
    CHECK(bytes.size() == kOfferMaxSize);  // the 4 past the bound are cut when encoding
    auto decoded = decodeOffer(bytes);
    REQUIRE(decoded.ok());
    CHECK(decoded->allowedViewers.size() == kMaxListedViewers);
    CHECK(decoded->refusedViewers.back() == 116);
    Bytes claim17 = encodeOffer(sampleOffer(true));
    claim17[kOfferMinSize - 2] = std::byte{17};  // the allowed list's count
    CHECK(decodeOffer(claim17).error() == Error::InvalidField);
    Bytes shortList = encodeOffer(sampleOffer(true));
    shortList[kOfferMinSize - 2] = std::byte{3};  // says 3, holds 2 (then the refused list)
    CHECK(decodeOffer(shortList).error() == Error::Truncated);
}

TEST_CASE("an offer for another session is refused") {
    const Offer offer = sampleOffer(true);
    const auto bytes = encodeOffer(offer);
    CHECK(acceptOffer(bytes, offer.sessionId).ok());
    envelope::Id128 other = offer.sessionId;
    other[15] ^= std::byte{1};
    auto refused = acceptOffer(bytes, other);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() == Error::WrongSession);
}

TEST_CASE("every prefix of an offer is truncated, and a longer one is refused unread") {
    const Bytes full = encodeOffer(sampleOffer(true));
    for (std::size_t n = 0; n < full.size(); ++n) {
        CAPTURE(n);
        auto r = decodeOffer(ByteView(full).first(n));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Error::Truncated);
    }
    Bytes longer = full;
    longer.push_back(std::byte{0});
    CHECK(decodeOffer(longer).error() == Error::TrailingBytes);
    Bytes huge(1 << 20, std::byte{0x47});  // a megabyte: refused by its size, never parsed
    CHECK(decodeOffer(huge).error() == Error::TrailingBytes);
}

TEST_CASE("a wrong magic or a reserved flag is refused") {
    Bytes bytes = encodeOffer(sampleOffer(true));
    Bytes otherVersion = bytes;
    otherVersion[7] = std::byte{'2'};  // "GCHAND02"
    CHECK(decodeOffer(otherVersion).error() == Error::BadMagic);
    Bytes zeros(kOfferMinSize, std::byte{0});
    CHECK(decodeOffer(zeros).error() == Error::BadMagic);
    for (std::uint8_t flag : {0x02, 0x80, 0xFF}) {
        CAPTURE(int(flag));
        Bytes flagged = bytes;
        flagged[8] = std::byte{flag};
        CHECK(decodeOffer(flagged).error() == Error::InvalidField);
    }
}

TEST_CASE("answers: connected and failed round trip; anything else is refused") {
    CHECK(toHex(encodeAnswer(Status::Connected)) == "474348414e44303101");
    for (Status s : {Status::Connected, Status::Failed}) {
        auto r = decodeAnswer(encodeAnswer(s));
        REQUIRE(r.ok());
        CHECK(*r == s);
    }
    CHECK(decodeAnswer(fromHex("474348414e44303100")).error() == Error::InvalidField);
    CHECK(decodeAnswer(fromHex("474348414e44303103")).error() == Error::InvalidField);
    CHECK(decodeAnswer(fromHex("474348414e443031")).error() == Error::Truncated);
    CHECK(decodeAnswer(fromHex("474348414e4430310100")).error() == Error::TrailingBytes);
    CHECK(decodeAnswer(fromHex("4743484e414e443001")).error() == Error::BadMagic);
    CHECK(decodeAnswer({}).error() == Error::Truncated);
}

TEST_CASE("the pipe name is the prefix and 32 hex digits; nothing else is accepted") {
    std::array<std::byte, kPipeRandomBytes> random{};
    for (std::size_t i = 0; i < random.size(); ++i) random[i] = std::byte(0xF0 + i);
    const std::string name = pipeName(random);
    CHECK(name == "guruconnect-elevate-f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    auto parsed = parsePipeName(name);
    REQUIRE(parsed.ok());
    CHECK(*parsed == name);
    for (std::string_view bad : {"", "guruconnect-elevate-", "guruconnect-elevate-f0f1f2f3f4f5f6f7f8f9fafbfcfdfefF",
                                 "guruconnect-elevate-f0f1f2f3f4f5f6f7f8f9fafbfcfdfefff",
                                 "guruconnect-elevate-f0f1f2f3f4f5f6f7f8f9fafbfcfdfef",
                                 "guruconnect-elevate-f0f1f2f3f4f5f6f7f8f9fafbfcfdfe\\x",
                                 "..\\guruconnect-elevate-f0f1f2f3f4f5f6f7f8f9fafbfcfd",
                                 "other-pipe-name-00f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"}) {
        CAPTURE(bad);
        auto r = parsePipeName(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Error::InvalidField);
    }
}
