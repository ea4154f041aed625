// The unattended agent's pure parts: the trailer's modes (with the support trailer's
// signature checks, one byte changed refused), machine metadata limits and --reconfigure
// edits, the stored configuration's JSON, and enrolment's request, answers (a scripted HTTP
// server) and retries. The 0600 file itself: tests/linux/test_posix_agent_config_file.cpp.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/agent_trailer.h"
#include "core/enrolment.h"
#include "core/stored_agent_config.h"
#include "platform/agent_config_store.h"
#include "tests/trailer_test_signer.h"
#include "tests/sample_agent_config.h"

using namespace guru;
using namespace guru::support;
using namespace guru::support::testing;
using namespace guru::unattended;
using guru::unattended::testing::sampleConfig;
using inventory::MachineMetadata;
using inventory::MetadataError;
using nlohmann::json;
using platform::TransportError;

namespace {

json unattendedJson() {
    return {{"mode", "unattended"},
            {"server", "https://guru.example:8443"},
            {"enrolToken", "tok-3f9a"},
            {"metadata",
             {{"name", ""}, {"company", "Glaztech"}, {"site", "Phoenix Office"}, {"department", "IT"},
              {"deviceType", "workstation"}, {"tag", "Laptop"}, {"properties", {{"Asset", "A-17"}}}}}};
}

Bytes fileWith(const std::string& config) {
    return signedFile(binaryWithSlot(rfc8032Key1().publicKey), config, rfc8032Key1());
}

TrailerFailure failureOf(const json& j) {
    auto r = parseAgentTrailer(fileWith(j.dump()));
    REQUIRE_FALSE(r.ok());
    return r.error();
}

http::Response response(int status, const std::string& body) {
    http::Response r;
    r.status = status;
    r.body = Bytes(asBytes(body).begin(), asBytes(body).end());
    return r;
}

http::Origin origin() {
    http::Origin o;
    o.tls = true;
    o.host = "guru.example";
    o.port = 8443;
    return o;
}

}  // namespace

TEST_CASE("an unattended trailer gives the server, the token and the metadata") {
    auto r = parseAgentTrailer(fileWith(unattendedJson().dump()));
    REQUIRE(r.ok());
    auto* t = std::get_if<UnattendedTrailer>(&*r);
    REQUIRE(t != nullptr);
    CHECK(t->server == "https://guru.example:8443");
    CHECK(t->enrolToken == "tok-3f9a");
    CHECK(t->metadata.company == "Glaztech");
    CHECK(t->metadata.site == "Phoenix Office");
    CHECK(t->metadata.deviceType == "workstation");
    CHECK(t->metadata.properties == std::vector<std::pair<std::string, std::string>>{{"Asset", "A-17"}});
}

TEST_CASE("no mode (or \"support\") is the support trailer as before; another mode is refused") {
    const json support = {{"server", "http://127.0.0.1:8080"}, {"session", "0123456789abcdef0123456789abcdef"},
                          {"secret", "5ec2e7"}, {"code", "123456"}, {"company", "Acme"}, {"consent", true}};
    auto plain = parseAgentTrailer(fileWith(support.dump()));
    REQUIRE(plain.ok());
    CHECK(std::get<SupportConfig>(*plain).code == "123456");
    json named = support;
    named["mode"] = "support";
    REQUIRE(parseAgentTrailer(fileWith(named.dump())).ok());
    named["mode"] = "kiosk";
    CHECK(failureOf(named).error == TrailerError::InvalidField);
    CHECK(failureOf(named).field == "mode");
    named["mode"] = 1;
    CHECK(failureOf(named).error == TrailerError::InvalidField);
    // A support trailer's fields do not make an unattended one.
    named["mode"] = "unattended";
    CHECK(failureOf(named).field == "enrolToken");
}

TEST_CASE("one byte changed anywhere in an unattended trailer's JSON or signature is refused") {
    const Bytes good = fileWith(unattendedJson().dump());
    const std::size_t json = unattendedJson().dump().size();
    const std::size_t jsonAt = good.size() - kTrailerFooter - json;
    for (std::size_t at = jsonAt; at < good.size() - 12; ++at) {
        Bytes bad = good;
        bad[at] ^= std::byte{0x01};
        auto r = parseAgentTrailer(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().error == TrailerError::BadSignature);
    }
    // Signed by another key than the binary's slot.
    auto other = parseAgentTrailer(signedFile(binaryWithSlot(rfc8032Key1().publicKey), unattendedJson().dump(),
                                              rfc8032Key2()));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().error == TrailerError::BadSignature);
}

TEST_CASE("the unattended trailer's fields are required and validated") {
    for (const char* key : {"server", "enrolToken"}) {
        json j = unattendedJson();
        j.erase(key);
        CHECK(failureOf(j).error == TrailerError::MissingField);
        CHECK(failureOf(j).field == key);
    }
    json j = unattendedJson();
    j["server"] = "ftp://x";
    CHECK(failureOf(j).field == "server");
    j = unattendedJson();
    j["enrolToken"] = "";
    CHECK(failureOf(j).field == "enrolToken");
    j["enrolToken"] = std::string(kMaxSecret + 1, 'a');
    CHECK(failureOf(j).field == "enrolToken");
    j = unattendedJson();
    j["metadata"]["deviceType"] = "toaster";
    CHECK(failureOf(j).field == "metadata");
    j["metadata"] = "x";
    CHECK(failureOf(j).field == "metadata");
    j = unattendedJson();
    j.erase("metadata");  // optional: blank fields come from the token's form on the server
    REQUIRE(parseAgentTrailer(fileWith(j.dump())).ok());
}

TEST_CASE("metadata: JSON both ways, limits, device types") {
    MachineMetadata m;
    m.name = "FRONT-01";
    m.deviceType = "laptop";
    m.properties = {{"Asset", "A-17"}, {"Room", "3"}};
    auto back = inventory::metadataFromJson(inventory::toJson(m));
    REQUIRE(back.ok());
    CHECK(*back == m);
    CHECK(inventory::metadataFromJson("{}").ok());
    CHECK(inventory::metadataFromJson("[]").error().error == MetadataError::MalformedJson);
    CHECK(inventory::metadataFromJson(R"({"site":3})").error().error == MetadataError::WrongType);
    CHECK(inventory::metadataFromJson(R"({"properties":{"a":1}})").error().error == MetadataError::WrongType);
    CHECK(inventory::metadataFromJson(json{{"tag", std::string(256, 'x')}}.dump()).error().error ==
          MetadataError::TooLong);
    CHECK(inventory::metadataFromJson(json{{"tag", std::string(255, 'x')}}.dump()).ok());
    // 255 code points of two bytes each are within the limit.
    std::string wide;
    for (int i = 0; i < 255; ++i) wide += "\xc3\xa9";
    CHECK(inventory::metadataFromJson(json{{"site", wide}}.dump()).ok());
    CHECK(inventory::metadataFromJson(json{{"site", "a\nb"}}.dump()).error().error == MetadataError::ControlCharacter);
    json many = json::object();
    for (int i = 0; i < 65; ++i) many["k" + std::to_string(i)] = "v";
    CHECK(inventory::metadataFromJson(json{{"properties", many}}.dump()).error().error == MetadataError::TooLong);
    for (const char* type : {"", "workstation", "server", "laptop"}) CHECK(inventory::isDeviceType(type));
    CHECK_FALSE(inventory::isDeviceType("Laptop"));
}

TEST_CASE("--reconfigure edits: set fields replace, empty clears, an invalid edit changes nothing") {
    MachineMetadata m;
    m.site = "Phoenix Office";
    m.tag = "Old";
    m.company = "Glaztech";
    inventory::MetadataEdit edit;
    CHECK(edit.empty());
    edit.site = "New York Office";
    edit.tag = "";
    CHECK_FALSE(edit.empty());
    auto r = inventory::applyEdit(m, edit);
    REQUIRE(r.ok());
    CHECK(r->site == "New York Office");
    CHECK(r->tag.empty());
    CHECK(r->company == "Glaztech");
    edit.deviceType = "phone";
    auto bad = inventory::applyEdit(m, edit);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().error == MetadataError::BadDeviceType);
    CHECK(bad.error().field == "deviceType");
}

TEST_CASE("the stored configuration's JSON: round trip, required keys, no token") {
    StoredAgentConfig c = sampleConfig();
    c.caFile = "/etc/guruconnect/ca.pem";
    c.pinCa = true;
    const std::string text = toJson(c);
    CHECK(text.find("token") == std::string::npos);
    auto back = storedConfigFromJson(text);
    REQUIRE(back.ok());
    CHECK(*back == c);
    for (const char* key : {"server", "agentId", "credential"}) {
        json j = json::parse(text);
        j.erase(key);
        CHECK(storedConfigFromJson(j.dump()).error().error == StoredConfigError::MissingField);
        CHECK(storedConfigFromJson(j.dump()).error().field == key);
    }
    json j = json::parse(text);
    j["agentId"] = "xyz";
    CHECK(storedConfigFromJson(j.dump()).error().field == "agentId");
    j = json::parse(text);
    j["server"] = "https://not-a-ws-url";
    CHECK(storedConfigFromJson(j.dump()).error().field == "server");
    j = json::parse(text);
    j["metadata"]["deviceType"] = "toaster";
    CHECK(storedConfigFromJson(j.dump()).error().field == "metadata");
    j = json::parse(text);
    j.erase("caFile");
    CHECK(storedConfigFromJson(j.dump()).error().field == "pinCa");
    CHECK(storedConfigFromJson("not json").error().error == StoredConfigError::MalformedJson);
}

TEST_CASE("the enrolment request carries token, hostname and metadata") {
    MachineMetadata m;
    m.site = "Phoenix";
    const json body = json::parse(enrolRequestBody("tok", "PC-FRONT01", m));
    CHECK(body["token"] == "tok");
    CHECK(body["hostname"] == "PC-FRONT01");
    CHECK(body["metadata"]["site"] == "Phoenix");
    CHECK(body["metadata"]["properties"].is_object());
}

TEST_CASE("enrolment answers: 201, refusals, throttling, server errors, junk") {
    auto ok = parseEnrolResponse(
        response(201, R"({"agentId":"00112233445566778899AABBCCDDEEFF","credential":"c-1","server":"wss://elsewhere/api/agent/ws"})"),
        origin());
    REQUIRE(ok.ok());
    CHECK(ok->agentId == "00112233445566778899aabbccddeeff");
    CHECK(ok->credential == "c-1");
    CHECK(ok->server == "wss://elsewhere/api/agent/ws");
    // Without a usable "server", the agent path where it enrolled.
    for (const char* server : {R"(,"server":"https://x")", R"(,"server":7)", ""}) {
        auto fallback = parseEnrolResponse(
            response(201, std::string(R"({"agentId":"00112233445566778899aabbccddeeff","credential":"c")") + server + "}"),
            origin());
        REQUIRE(fallback.ok());
        CHECK(fallback->server == "wss://guru.example:8443/api/agent/ws");
    }

    auto refused = parseEnrolResponse(
        response(401, R"({"error":{"code":"enrolment_refused","message":"expired or invalid"}})"), origin());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().error == EnrolError::Refused);
    CHECK(refused.error().message == "expired or invalid");
    CHECK_FALSE(retryable(refused.error()));
    CHECK(describe(refused.error()).find("expired or invalid") != std::string::npos);

    CHECK(parseEnrolResponse(response(429, "{}"), origin()).error().error == EnrolError::Throttled);
    CHECK(retryable(parseEnrolResponse(response(429, "{}"), origin()).error()));
    CHECK(parseEnrolResponse(response(503, ""), origin()).error().error == EnrolError::ServerError);
    CHECK(retryable(parseEnrolResponse(response(503, ""), origin()).error()));
    CHECK(parseEnrolResponse(response(404, ""), origin()).error().error == EnrolError::NotFound);
    CHECK(parseEnrolResponse(response(302, ""), origin()).error().error == EnrolError::UnexpectedStatus);
    for (const char* junk : {"", "[]", R"({"agentId":"00112233445566778899aabbccddeeff"})",
                             R"({"agentId":"xyz","credential":"c"})",
                             R"({"agentId":"00112233445566778899aabbccddeeff","credential":""})"}) {
        auto r = parseEnrolResponse(response(201, junk), origin());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().error == EnrolError::BadResponse);
        CHECK_FALSE(retryable(r.error()));
    }
}

TEST_CASE("enrolOnce posts to /api/agent/enrol on the trailer's server (scripted HTTP answer)") {
    struct Script {
        std::string request;
        platform::TransportOptions dialed;
        std::string answer;
    } script;
    const std::string answer = R"({"agentId":"00112233445566778899aabbccddeeff","credential":"secret-1"})";
    script.answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(answer.size()) + "\r\n\r\n" + answer;
    struct Connection final : platform::Transport {
        explicit Connection(Script& s) : script(s) {}
        Script& script;
        std::size_t at = 0;
        Outcome<TransportError> send(ByteView data) override {
            script.request.append(reinterpret_cast<const char*>(data.data()), data.size());
            return Unit{};
        }
        Result<std::size_t, TransportError> receive(std::span<std::byte> into, std::chrono::milliseconds) override {
            if (at == script.answer.size()) return Failure{TransportError::Closed};
            const std::size_t n = std::min(into.size(), script.answer.size() - at);
            std::memcpy(into.data(), script.answer.data() + at, n);
            at += n;
            return n;
        }
        void interrupt() override {}
    };
    ws::Dialer dial = [&script](const platform::TransportOptions& o, const std::atomic<bool>*)
        -> Result<std::unique_ptr<platform::Transport>, TransportError> {
        script.dialed = o;
        return std::unique_ptr<platform::Transport>(std::make_unique<Connection>(script));
    };
    EnrolRequest request;
    request.server = "http://127.0.0.1:8080/guru";
    request.token = "tok-3f9a";
    request.hostname = "PC-FRONT01";
    request.transport.caFile = "ca.pem";
    auto r = enrolOnce(dial, request, nullptr);
    REQUIRE(r.ok());
    CHECK(r->server == "ws://127.0.0.1:8080/guru/api/agent/ws");
    CHECK(script.dialed.host == "127.0.0.1");
    CHECK(script.dialed.port == 8080);
    CHECK(script.dialed.caFile == "ca.pem");
    CHECK(script.request.starts_with("POST /guru/api/agent/enrol HTTP/1.1\r\n"));
    const json body = json::parse(script.request.substr(script.request.find("\r\n\r\n") + 4));
    CHECK(body["token"] == "tok-3f9a");
    CHECK(body["hostname"] == "PC-FRONT01");

    request.server = "gopher://x";
    CHECK(enrolOnce(dial, request, nullptr).error().error == EnrolError::BadServer);
}

TEST_CASE("enrolWithRetry retries network errors with backoff and stops on a refusal or a cancel") {
    std::vector<EnrolError> script = {EnrolError::Network, EnrolError::ServerError, EnrolError::Throttled};
    std::size_t calls = 0;
    std::vector<std::chrono::milliseconds> waits;
    std::vector<std::string> lines;
    EnrolRetry retry;
    retry.wait = [&waits](std::chrono::milliseconds d) {
        waits.push_back(d);
        return true;
    };
    auto attempt = [&]() -> Result<Enrolled, EnrolFailure> {
        if (calls < script.size()) {
            EnrolFailure f;
            f.error = script[calls++];
            return Failure{f};
        }
        ++calls;
        return Enrolled{"00112233445566778899aabbccddeeff", "c", "ws://x:1/api/agent/ws"};
    };
    auto log = [&lines](const std::string& l) { lines.push_back(l); };
    REQUIRE(enrolWithRetry(attempt, retry, log).ok());
    CHECK(calls == 4);
    REQUIRE(waits.size() == 3);
    CHECK(waits[0] < std::chrono::milliseconds(1000));
    CHECK(waits[2] >= retry.backoff.cap / 2);  // throttled: the penalty delay
    CHECK(lines[0].find("retrying in") != std::string::npos);

    calls = 0;
    waits.clear();
    script = {EnrolError::Network, EnrolError::Refused, EnrolError::Network};
    auto refused = enrolWithRetry(attempt, retry, log);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().error == EnrolError::Refused);
    CHECK(calls == 2);
    CHECK(lines.back().find("expired or invalid") != std::string::npos);

    calls = 0;
    script = {EnrolError::Network, EnrolError::Network, EnrolError::Network};
    retry.maxAttempts = 2;
    CHECK(enrolWithRetry(attempt, retry, log).error().error == EnrolError::Network);
    CHECK(calls == 2);
    retry.maxAttempts = 0;
    calls = 0;
    retry.wait = [](std::chrono::milliseconds) { return false; };  // SIGTERM while waiting
    CHECK_FALSE(enrolWithRetry(attempt, retry, log).ok());
    CHECK(calls == 1);
    CHECK(lines.back() == "enrolment cancelled");
}
