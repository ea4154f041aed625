// The support trailer (docs/support.md §4): valid configs, every field's limits, and
// truncated, oversized and malformed trailers.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/support_config.h"

using namespace guru;
using namespace guru::support;
using nlohmann::json;

namespace {

json validJson() {
    return {{"server", "http://127.0.0.1:8080"}, {"session", "0123456789abcdef0123456789ABCDEF"},
            {"secret", "5ec2e7"},                 {"code", "123456"},
            {"company", "Acme IT"},               {"consent", true}};
}

// A fake "binary" followed by the trailer for `config`.
Bytes fileWith(const std::string& config) {
    Bytes file(300, std::byte{0x7f});
    Bytes trailer = makeTrailer(config);
    file.insert(file.end(), trailer.begin(), trailer.end());
    return file;
}

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

TEST_CASE("a file without the magic has no trailer") {
    CHECK(parseTrailer(Bytes{}).error().error == TrailerError::NotPresent);
    CHECK(parseTrailer(Bytes(11, std::byte{0})).error().error == TrailerError::NotPresent);
    Bytes file = fileWith(validJson().dump());
    file.back() = std::byte{'2'};  // GCSUPP02
    CHECK(parseTrailer(file).error().error == TrailerError::NotPresent);
}

TEST_CASE("lengths: zero, oversized and pointing before the data are refused") {
    Bytes zero = makeTrailer("");
    CHECK(parseTrailer(zero).error().error == TrailerError::BadLength);

    std::string big(kMaxConfigJson + 1, ' ');
    CHECK(parseTrailer(makeTrailer(big)).error().error == TrailerError::BadLength);

    // The largest length is accepted as a length (then fails as JSON, being spaces).
    std::string largest(kMaxConfigJson, ' ');
    CHECK(parseTrailer(makeTrailer(largest)).error().error == TrailerError::MalformedJson);

    // Declared 0xFFFFFFFF with no body: refused from the footer alone.
    Bytes huge = makeTrailer("{}");
    huge.erase(huge.begin(), huge.begin() + 2);
    for (std::size_t i = 0; i < 4; ++i) huge[i] = std::byte{0xff};
    CHECK(parseTrailer(huge).error().error == TrailerError::BadLength);

    // The file was cut: fewer bytes than the length claims.
    const std::string config = validJson().dump();
    Bytes cut = makeTrailer(config);
    cut.erase(cut.begin(), cut.begin() + 5);
    CHECK(parseTrailer(cut).error().error == TrailerError::Truncated);
}

TEST_CASE("every truncation of a valid trailer is refused without over-reading") {
    Bytes file = fileWith(validJson().dump());
    Bytes trailerOnly = makeTrailer(validJson().dump());
    for (std::size_t cut = 1; cut < trailerOnly.size(); ++cut) {
        // Keep the last `cut` bytes: what a reader of a damaged download would see.
        Bytes tail(trailerOnly.end() - static_cast<std::ptrdiff_t>(cut), trailerOnly.end());
        auto r = parseTrailer(tail);
        CHECK_FALSE(r.ok());
    }
    CHECK(parseTrailer(file).ok());
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

TEST_CASE("readTrailer reads the end of a real file") {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("guru-trailer-" + std::to_string(stamp))).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    Bytes file(100000, std::byte{0x5a});  // larger than kMaxTrailerSize
    Bytes trailer = makeTrailer(validJson().dump());
    file.insert(file.end(), trailer.begin(), trailer.end());
    REQUIRE(std::fwrite(file.data(), 1, file.size(), f) == file.size());
    std::fclose(f);
    auto r = readTrailer(path);
    CHECK(r.ok());
    std::remove(path.c_str());
    CHECK(readTrailer(path).error().error == TrailerError::Unreadable);
}
