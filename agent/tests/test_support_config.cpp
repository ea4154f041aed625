// The support trailer (docs/support.md §4): valid configs, every field's limits, and
// truncated, oversized and malformed trailers; the Ed25519 signature (RFC 8032 vectors) and
// the key slot: altered JSON or signature, wrong, zero, missing and duplicate keys.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/support_config.h"
#include "tests/trailer_test_signer.h"

using namespace guru;
using namespace guru::support;
using namespace guru::support::testing;
using nlohmann::json;

namespace {

json validJson() {
    return {{"server", "http://127.0.0.1:8080"}, {"session", "0123456789abcdef0123456789ABCDEF"},
            {"secret", "5ec2e7"},                 {"code", "123456"},
            {"company", "Acme IT"},               {"consent", true}};
}

// A fake "binary" stamped with RFC 8032 key 1, followed by the trailer for `config`.
Bytes fileWith(const std::string& config) {
    return signedFile(binaryWithSlot(rfc8032Key1().publicKey), config, rfc8032Key1());
}

// The trailer alone (no binary, so no key slot): for checks the footer decides.
Bytes trailerOnly(std::string_view config) { return makeTrailer(config, Bytes(kSignatureSize)); }

TrailerFailure failureOf(const json& j) {
    auto r = parseTrailer(fileWith(j.dump()));
    REQUIRE_FALSE(r.ok());
    return r.error();
}

}  // namespace

TEST_CASE("a valid trailer gives every field and the agent URL") {
    auto r = parseTrailer(fileWith(validJson().dump()));
    REQUIRE(r.ok());
    CHECK(r->serverBase == "http://127.0.0.1:8080");
    CHECK_FALSE(r->agentUrl.tls);
    CHECK(r->agentUrl.host == "127.0.0.1");
    CHECK(r->agentUrl.port == 8080);
    CHECK(r->agentUrl.path == "/api/agent/ws");
    CHECK(r->sessionHex == "0123456789abcdef0123456789abcdef");
    CHECK(r->sessionId[0] == std::byte{0x01});
    CHECK(r->sessionId[15] == std::byte{0xef});
    CHECK(r->secret == "5ec2e7");
    CHECK(r->code == "123456");
    CHECK(r->company == "Acme IT");
    CHECK(r->consentRequired);
}

TEST_CASE("Ed25519 through libgcrypt matches RFC 8032 TEST 2") {
    const TestKey key = rfc8032Key2();
    const Bytes message = fromHex("72");
    const Bytes expected = fromHex(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    CHECK(signEd25519(key, message) == expected);
    CHECK(verifyEd25519(key.publicKey, message, expected) == SignatureCheck::Valid);
    Bytes flipped = expected;
    flipped[63] ^= std::byte{0x01};
    CHECK(verifyEd25519(key.publicKey, message, flipped) == SignatureCheck::Invalid);
    CHECK(verifyEd25519(key.publicKey, fromHex("73"), expected) == SignatureCheck::Invalid);
    CHECK(verifyEd25519(rfc8032Key1().publicKey, message, expected) == SignatureCheck::Invalid);
    CHECK(verifyEd25519(ByteView(key.publicKey).first(31), message, expected) == SignatureCheck::Invalid);
    CHECK(verifyEd25519(key.publicKey, message, ByteView(expected).first(63)) == SignatureCheck::Invalid);
}

TEST_CASE("points libgcrypt would abort on are refused as invalid, not a crash") {
    // The identity (y = 1), y = 2^64 (off the curve), and the point with x = 2: each made
    // libgcrypt 1.10 abort in mulm_25519 (found by fuzzing), as the key or as R.
    const TestKey key = rfc8032Key2();
    const Bytes message = fromHex("72");
    const Bytes good = signEd25519(key, message);
    for (const char* point : {"0100000000000000000000000000000000000000000000000000000000000000",
                              "0000000000000000010000000000000000000000000000000000000000000000",
                              "3126711e11ef574692935381d2cd2bbab5dd113c4010f91fd7c4dd7b12bf431a"}) {
        CAPTURE(point);
        CHECK(verifyEd25519(fromHex(point), message, good) == SignatureCheck::Invalid);
        Bytes forged = fromHex(point);
        forged.insert(forged.end(), good.begin() + 32, good.end());
        CHECK(verifyEd25519(key.publicKey, message, forged) == SignatureCheck::Invalid);
    }
    // Not canonical (y ≥ p) and not on the curve.
    CHECK(verifyEd25519(fromHex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), message,
                        good) == SignatureCheck::Invalid);
}

TEST_CASE("the signature covers the domain prefix and the JSON") {
    const Bytes m = signedMessage("{}");
    CHECK(toString(m) == std::string("GCSUPP02\0{}", 11));
}

TEST_CASE("a trailer is trusted only with a good signature under the binary's one key") {
    const std::string config = validJson().dump();
    const TestKey key = rfc8032Key1();
    const Bytes binary = binaryWithSlot(key.publicKey);
    REQUIRE(parseTrailer(signedFile(binary, config, key)).ok());

    auto errorOf = [](const Bytes& file) {
        auto r = parseTrailer(file);
        REQUIRE_FALSE(r.ok());
        return r.error().error;
    };
    SUBCASE("one altered JSON byte") {
        Bytes file = signedFile(binary, config, key);
        const std::size_t at = binary.size() + config.find("127.0.0.1");
        file[at] = std::byte{'9'};  // another server
        CHECK(errorOf(file) == TrailerError::BadSignature);
    }
    SUBCASE("consent turned off, re-wrapped with the old signature") {
        Bytes file = signedFile(binary, config, key);
        const Bytes signature(file.end() - 76, file.end() - 12);
        json off = validJson();
        off["consent"] = false;
        Bytes forged = binary;
        const Bytes trailer = makeTrailer(off.dump(), signature);
        forged.insert(forged.end(), trailer.begin(), trailer.end());
        CHECK(errorOf(forged) == TrailerError::BadSignature);
    }
    SUBCASE("one altered signature byte, in R and in S") {
        for (std::size_t back : {76u, 13u}) {
            Bytes file = signedFile(binary, config, key);
            file[file.size() - back] ^= std::byte{0x40};
            CHECK(errorOf(file) == TrailerError::BadSignature);
        }
    }
    SUBCASE("signed with another key than the one in the slot") {
        CHECK(errorOf(signedFile(binary, config, rfc8032Key2())) == TrailerError::BadSignature);
        CHECK(errorOf(signedFile(binaryWithSlot(rfc8032Key2().publicKey), config, key)) ==
              TrailerError::BadSignature);
    }
    SUBCASE("the stock binary's zero key") {
        CHECK(errorOf(signedFile(binaryWithSlot(PublicKey{}), config, key)) == TrailerError::Unsigned);
    }
    SUBCASE("no slot, a cut slot, and a slot only inside the JSON") {
        CHECK(errorOf(signedFile(Bytes(600, std::byte{0x7f}), config, key)) == TrailerError::KeySlotMissing);
        Bytes cutSlot(600, std::byte{0x7f});
        const Bytes slot = keySlot(key.publicKey);
        cutSlot.insert(cutSlot.end(), slot.begin(), slot.end() - 1);  // 39 bytes, then the JSON
        CHECK(errorOf(signedFile(cutSlot, config, key)) == TrailerError::KeySlotMissing);
        json inJson = validJson();
        inJson["company"] = toString(ByteView(slot).first(kKeySlotMagicSize));
        CHECK(errorOf(signedFile(Bytes(600, std::byte{0x7f}), inJson.dump(), key)) ==
              TrailerError::KeySlotMissing);
    }
    SUBCASE("a slot right before the JSON counts") {
        CHECK(parseTrailer(signedFile(keySlot(key.publicKey), config, key)).ok());
    }
    SUBCASE("two slots, even with the same key") {
        Bytes twice = binaryWithSlot(key.publicKey);
        const Bytes slot = keySlot(key.publicKey);
        twice.insert(twice.end(), slot.begin(), slot.end());
        CHECK(errorOf(signedFile(twice, config, key)) == TrailerError::KeySlotAmbiguous);
    }
    SUBCASE("the signature is checked before the JSON is parsed") {
        Bytes file = signedFile(binary, "{not json", rfc8032Key2());
        CHECK(errorOf(file) == TrailerError::BadSignature);
        CHECK(errorOf(signedFile(binary, "{not json", key)) == TrailerError::MalformedJson);
    }
}

TEST_CASE("this program carries exactly one slot, unstamped, found by its magic") {
    const auto magic = keySlotMagic();
    CHECK(toString(magic) == std::string("GCKEY") + "001");
    Bytes own(kKeySlotSize);
    for (std::size_t i = 0; i < own.size(); ++i) own[i] = std::byte{guru_trailer_key_slot[i]};
    auto found = findKeySlot(own);
    REQUIRE(found.ok());
    CHECK(isUnstamped(*found));
    CHECK(findKeySlot(ByteView(own).first(kKeySlotSize - 1)).error() == KeySlotError::Missing);
}

TEST_CASE("server URLs: http → ws, https → wss, prefix kept, ws taken as is") {
    auto u = agentUrlFromServer("https://guru.example.com");
    REQUIRE(u.ok());
    CHECK(u->tls);
    CHECK(u->port == 443);
    CHECK(u->path == "/api/agent/ws");
    u = agentUrlFromServer("HTTP://h:81/guru/");
    REQUIRE(u.ok());
    CHECK(u->path == "/guru/api/agent/ws");
    u = agentUrlFromServer("ws://h:82");
    REQUIRE(u.ok());
    CHECK(u->path == "/api/agent/ws");
    u = agentUrlFromServer("wss://h/custom/ws");
    REQUIRE(u.ok());
    CHECK(u->path == "/custom/ws");
    CHECK_FALSE(agentUrlFromServer("ftp://h").ok());
    CHECK_FALSE(agentUrlFromServer("http://").ok());
    CHECK_FALSE(agentUrlFromServer("http://h:99999").ok());
    CHECK_FALSE(agentUrlFromServer("http://h/?x=1").ok());
    CHECK_FALSE(agentUrlFromServer("http://user@h").ok());
}

TEST_CASE("a file without the magic has no trailer; a version 1 trailer is refused") {
    CHECK(parseTrailer(Bytes{}).error().error == TrailerError::NotPresent);
    CHECK(parseTrailer(Bytes(11, std::byte{0})).error().error == TrailerError::NotPresent);
    Bytes file = fileWith(validJson().dump());
    file.back() = std::byte{'3'};  // GCSUPP03
    CHECK(parseTrailer(file).error().error == TrailerError::NotPresent);
    file.back() = std::byte{'1'};  // GCSUPP01: the unsigned first version
    CHECK(parseTrailer(file).error().error == TrailerError::OldVersion);
}

TEST_CASE("lengths: zero, oversized and pointing before the data are refused") {
    CHECK(parseTrailer(trailerOnly("")).error().error == TrailerError::BadLength);

    std::string big(kMaxConfigJson + 1, ' ');
    CHECK(parseTrailer(trailerOnly(big)).error().error == TrailerError::BadLength);

    // The largest length is accepted as a length (then signed, then fails as JSON, being spaces).
    std::string largest(kMaxConfigJson, ' ');
    CHECK(parseTrailer(trailerOnly(largest)).error().error == TrailerError::KeySlotMissing);
    CHECK(parseTrailer(fileWith(largest)).error().error == TrailerError::MalformedJson);

    // Declared 0xFFFFFFFF with no body: refused from the footer alone.
    Bytes huge(12);
    for (std::size_t i = 0; i < 4; ++i) huge[i] = std::byte{0xff};
    for (std::size_t i = 0; i < kTrailerMagic.size(); ++i) huge[4 + i] = std::byte(kTrailerMagic[i]);
    CHECK(parseTrailer(huge).error().error == TrailerError::BadLength);

    // The file was cut: fewer bytes than the length and the signature claim.
    const std::string config = validJson().dump();
    Bytes cut = trailerOnly(config);
    cut.erase(cut.begin(), cut.begin() + 5);
    CHECK(parseTrailer(cut).error().error == TrailerError::Truncated);
    cut = trailerOnly(config);
    cut.erase(cut.begin(), cut.begin() + static_cast<std::ptrdiff_t>(config.size()));
    CHECK(parseTrailer(cut).error().error == TrailerError::Truncated);
}

TEST_CASE("every truncation of a valid file is refused without over-reading") {
    Bytes file = fileWith(validJson().dump());
    REQUIRE(parseTrailer(file).ok());
    const std::size_t slotAt = 300;  // binaryWithSlot's filler before the slot
    for (std::size_t keep = 1; keep < file.size(); ++keep) {
        // Keep the first `keep`: a download cut short.
        CHECK_FALSE(parseTrailer(ByteView(file).first(keep)).ok());
        // Keep the last `keep` bytes: what survives of a file damaged at its start; whole
        // once only filler is lost.
        CHECK(parseTrailer(ByteView(file).last(keep)).ok() == (keep >= file.size() - slotAt));
    }
}

TEST_CASE("malformed JSON and non-objects are refused") {
    for (std::string bad : {"{", "[]", "\"x\"", "null", "{\"server\":}", "{} x"}) {
        CAPTURE(bad);
        CHECK(parseTrailer(fileWith(bad)).error().error == TrailerError::MalformedJson);
    }
    std::string invalidUtf8 = validJson().dump();
    invalidUtf8.replace(invalidUtf8.find("Acme"), 1, "\xff");
    CHECK(parseTrailer(fileWith(invalidUtf8)).error().error == TrailerError::MalformedJson);
}

TEST_CASE("each field is required and validated") {
    for (const char* key : {"server", "session", "secret", "code", "company", "consent"}) {
        CAPTURE(key);
        json j = validJson();
        j.erase(key);
        auto f = failureOf(j);
        CHECK(f.error == TrailerError::MissingField);
        CHECK(f.field == key);
        j = validJson();
        j[key] = 42;
        f = failureOf(j);
        CHECK(f.error == TrailerError::InvalidField);
        CHECK(f.field == key);
    }
    auto invalid = [](const char* key, json value) {
        json j = validJson();
        j[key] = std::move(value);
        auto f = failureOf(j);
        CHECK(f.error == TrailerError::InvalidField);
        CHECK(f.field == key);
    };
    invalid("server", "gopher://h");
    invalid("server", "");
    invalid("session", "0123456789abcdef0123456789abcde");     // 31
    invalid("session", "0123456789abcdef0123456789abcdef0");   // 33
    invalid("session", "0123456789abcdef0123456789abcdeg");
    invalid("secret", "");
    invalid("secret", std::string(kMaxSecret + 1, 's'));
    invalid("code", "12345");
    invalid("code", "1234567");
    invalid("code", "12345a");
    invalid("company", std::string(kMaxCompanyChars + 1, 'c'));
    invalid("company", "Acme\nIT");
    invalid("consent", "true");

    json j = validJson();
    j["secret"] = std::string(kMaxSecret, 's');
    j["company"] = "";
    j["consent"] = false;
    j["extra"] = "ignored";
    auto ok = parseTrailer(fileWith(j.dump()));
    REQUIRE(ok.ok());
    CHECK_FALSE(ok->consentRequired);
    CHECK(ok->company.empty());

    // 200 characters, 400 bytes of UTF-8.
    std::string accents;
    for (std::size_t i = 0; i < kMaxCompanyChars; ++i) accents += "\xc3\xa9";
    j["company"] = accents;
    CHECK(parseTrailer(fileWith(j.dump())).ok());
}

namespace {

// A temporary file with `bytes`, removed when it goes out of scope.
struct TempFile {
    std::string path;
    explicit TempFile(const Bytes& bytes) {
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path = (std::filesystem::temp_directory_path() / ("guru-trailer-" + std::to_string(stamp))).string();
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f != nullptr);
        REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
        std::fclose(f);
    }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("readTrailer reads a real file whole, and refuses what it must not trust") {
    Bytes binary = binaryWithSlot(rfc8032Key1().publicKey, 100000);
    std::string path;
    {
        TempFile good(signedFile(binary, validJson().dump(), rfc8032Key1()));
        path = good.path;
        auto r = readTrailer(good.path);
        CHECK(r.ok());
    }
    CHECK(readTrailer(path).error().error == TrailerError::Unreadable);

    TempFile plain(binary);  // an ordinary agent: no trailer
    CHECK(readTrailer(plain.path).error().error == TrailerError::NotPresent);

    Bytes altered = signedFile(binary, validJson().dump(), rfc8032Key1());
    altered[binary.size() + 3] ^= std::byte{0x01};  // one byte of the JSON
    TempFile tampered(altered);
    CHECK(readTrailer(tampered.path).error().error == TrailerError::BadSignature);
}

TEST_CASE("readTrailer refuses a file above the size limit from its footer and size alone") {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::string path = (std::filesystem::temp_directory_path() / ("guru-big-" + std::to_string(stamp))).string();
    Bytes footer = trailerOnly(validJson().dump());
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f != nullptr);
        // Sparse where the file system allows: the size is past the limit, the data is not.
        REQUIRE(std::fseek(f, static_cast<long>(kMaxTrailerFile), SEEK_SET) == 0);
        REQUIRE(std::fwrite(footer.data(), 1, footer.size(), f) == footer.size());
        std::fclose(f);
    }
    CHECK(readTrailer(path).error().error == TrailerError::TooLarge);
    std::remove(path.c_str());
}
