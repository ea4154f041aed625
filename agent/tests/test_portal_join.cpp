// Joining a support session from a guruconnect:// link against a scripted portal: the
// server URL forms, the code check's request and answers (200, refusals with the server's
// message, junk), the download's trailer verified in memory (tampered, unsigned, another
// session's), and --open-url's choice of server, exit codes and support-mode options
// (no file to delete).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/portal_join.h"
#include "open_url.h"
#include "tests/trailer_test_signer.h"

using namespace guru;
using namespace guru::portal;
using namespace guru::support::testing;
using platform::TransportError;
using nlohmann::json;

namespace {

Bytes bytesOf(std::string_view s) { return Bytes(asBytes(s).begin(), asBytes(s).end()); }
std::string text(const Bytes& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

const std::string kTicket = "/api/portal/download/00112233445566778899aabbccddeeff.1799999999.mac?platform=linux";

std::string sessionJson(const std::string& code = "123456") {
    return json{{"server", "http://127.0.0.1:9999"}, {"session", "00112233445566778899aabbccddeeff"},
                {"secret", "5ec2e7"}, {"code", code}, {"company", "Acme IT"}, {"consent", true}}
        .dump();
}

// What the portal's download is: a stamped binary and the signed trailer.
Bytes signedDownload(const std::string& code = "123456") {
    return signedFile(binaryWithSlot(rfc8032Key1().publicKey), sessionJson(code), rfc8032Key1());
}

std::string httpResponse(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

// A portal: answers the code check and the download from what it was set up with, and
// records every request and every dial.
struct FakePortal {
    int codeStatus = 200;
    std::string codeBody = json{{"code", "123456"}, {"downloadUrl", kTicket}}.dump();
    int downloadStatus = 200;
    Bytes download = signedDownload();
    std::vector<std::string> requests;
    std::vector<platform::TransportOptions> dials;

    std::string respond(const std::string& request) {
        if (request.starts_with("POST ")) return httpResponse(codeStatus, codeBody);
        std::string head = "HTTP/1.1 " + std::to_string(downloadStatus) + " X\r\nContent-Type: application/octet-stream"
                           "\r\nTransfer-Encoding: chunked\r\n\r\n";  // the body chunked, to cover it too
        head += [&] {
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", download.size());
            return std::string(size);
        }();
        return head + text(download) + "\r\n0\r\n\r\n";
    }

    ws::Dialer dialer() {
        return [this](const platform::TransportOptions& o, const std::atomic<bool>*)
                   -> Result<std::unique_ptr<platform::Transport>, TransportError> {
            dials.push_back(o);
            return std::unique_ptr<platform::Transport>(std::make_unique<Connection>(*this));
        };
    }

    // Answers once the request (headers and Content-Length body) is complete.
    struct Connection final : platform::Transport {
        explicit Connection(FakePortal& p) : portal(p) {}
        FakePortal& portal;
        std::string request;
        Bytes reply;
        std::size_t at = 0;
        Outcome<TransportError> send(ByteView data) override {
            request += text(Bytes(data.begin(), data.end()));
            return Unit{};
        }
        Result<std::size_t, TransportError> receive(std::span<std::byte> into, std::chrono::milliseconds) override {
            if (reply.empty()) {
                portal.requests.push_back(request);
                reply = bytesOf(portal.respond(request));
            }
            if (at == reply.size()) return Failure{TransportError::Closed};
            const std::size_t n = std::min(into.size(), reply.size() - at);
            std::copy_n(reply.begin() + static_cast<std::ptrdiff_t>(at), n, into.begin());
            at += n;
            return n;
        }
        void interrupt() override {}
    };
};

JoinRequest requestFor(const std::string& server) {
    JoinRequest r;
    r.origin = *originFromServer(server);
    r.code = "123456";
    r.platform = "linux";
    return r;
}

}  // namespace

TEST_CASE("the portal origin from every server URL form") {
    auto ws = originFromServer("wss://support.example.com/api/agent/ws");
    REQUIRE(ws.ok());
    CHECK(ws->tls);
    CHECK(ws->host == "support.example.com");
    CHECK(ws->port == 443);
    CHECK(ws->basePath.empty());
    auto plain = originFromServer("ws://127.0.0.1:8080/api/agent/ws");
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->tls);
    CHECK(plain->port == 8080);
    CHECK(originFromServer("wss://h/guru/api/agent/ws")->basePath == "/guru");
    CHECK(originFromServer("https://h:8443/guru/")->basePath == "/guru");
    CHECK(originFromServer("http://[::1]:8080")->host == "::1");
    CHECK(originFromServer("ws://h:1")->basePath.empty());
    for (const char* bad : {"ftp://h", "h:8080", "", "wss://h/other/path", "ws://h/api/agent/ws?x=1",
                            "https://h/a?b", "ws://h:99999/api/agent/ws"}) {
        CAPTURE(bad);
        CHECK(originFromServer(bad).error() == JoinError::BadServer);
    }
}

TEST_CASE("server messages are bounded and printable") {
    CHECK(printableMessage("No support session has this code.") == "No support session has this code.");
    CHECK(printableMessage("a\x1b[31mb\r\nc\x7f") == "a?[31mb??c?");
    CHECK(printableMessage("caf\xc3\xa9 \xe2\x80\xae!") == "caf? ?!");
    const std::string longest = printableMessage(std::string(5000, 'x'));
    CHECK(longest == std::string(kMaxMessage, 'x') + "...");
}

TEST_CASE("only the portal's own download paths are fetched") {
    CHECK(isDownloadPath(kTicket));
    for (const std::string& bad : std::vector<std::string>{"", "/api/portal/download/", "https://evil.example/x",
                                  "//evil.example/x",
                                  "/api/agents", "/api/portal/download/a b", "/api/portal/download/a\r\nX: y",
                                  "/api/portal/download/" + std::string(kMaxDownloadPath, 'a')}) {
        CAPTURE(bad);
        CHECK_FALSE(isDownloadPath(bad));
    }
}

TEST_CASE("the code check's answers") {
    http::Response ok{200, {}, bytesOf(json{{"downloadUrl", kTicket}}.dump())};
    CHECK(*parseCodeResponse(ok) == kTicket);
    http::Response missing{404, {}, bytesOf(R"({"error":"not_found","message":"No support session has this code."})")};
    auto refused = parseCodeResponse(missing);
    CHECK(refused.error().error == JoinError::Refused);
    CHECK(refused.error().status == 404);
    CHECK(refused.error().message == "No support session has this code.");
    CHECK(parseCodeResponse({429, {}, bytesOf(R"({"error":"throttled"})")}).error().message == "throttled");
    CHECK(parseCodeResponse({502, {}, bytesOf("<html>Bad gateway</html>")}).error().error ==
          JoinError::UnexpectedStatus);
    for (const char* junk : {"", "[]", "{}", R"({"downloadUrl":5})", R"({"downloadUrl":"https://evil/x"})", "{"}) {
        CAPTURE(junk);
        CHECK(parseCodeResponse({200, {}, bytesOf(junk)}).error().error == JoinError::BadResponse);
    }
}

TEST_CASE("joinByCode: the code check, the download, and the trailer checked in memory") {
    FakePortal portal;
    auto joined = joinByCode(portal.dialer(), requestFor("ws://portal.test:8080/api/agent/ws"), nullptr);
    REQUIRE(joined.ok());
    CHECK(joined->code == "123456");
    CHECK(joined->sessionHex == "00112233445566778899aabbccddeeff");
    CHECK(joined->company == "Acme IT");
    // The trailer names http://127.0.0.1:9999: the session still goes to the link's server.
    CHECK(joined->agentUrl.host == "portal.test");
    CHECK(joined->agentUrl.port == 8080);
    CHECK_FALSE(joined->agentUrl.tls);
    CHECK(joined->agentUrl.path == "/api/agent/ws");
    REQUIRE(portal.requests.size() == 2);
    CHECK(portal.requests[0].starts_with(
        "POST /api/portal/code?platform=linux HTTP/1.1\r\nHost: portal.test:8080\r\n"));
    CHECK(portal.requests[0].ends_with("\r\n\r\n{\"code\":\"123456\"}"));
    CHECK(portal.requests[1].starts_with("GET " + kTicket + " HTTP/1.1\r\n"));
    REQUIRE(portal.dials.size() == 2);
    CHECK(portal.dials[1].host == "portal.test");
    CHECK_FALSE(portal.dials[1].tls);

    SUBCASE("one byte of the trailer's JSON changed") {
        portal.download[portal.download.size() - 100] ^= std::byte{0x01};
        auto r = joinByCode(portal.dialer(), requestFor("http://portal.test:8080"), nullptr);
        CHECK(r.error().error == JoinError::BadDownload);
        CHECK(r.error().trailer.error == support::TrailerError::BadSignature);
    }
    SUBCASE("a binary whose slot nobody stamped") {
        portal.download = signedFile(binaryWithSlot(support::PublicKey{}), sessionJson(), rfc8032Key1());
        CHECK(joinByCode(portal.dialer(), requestFor("http://portal.test"), nullptr).error().trailer.error ==
              support::TrailerError::Unsigned);
    }
    SUBCASE("no trailer at all") {
        portal.download = bytesOf("just a binary");
        CHECK(joinByCode(portal.dialer(), requestFor("http://portal.test"), nullptr).error().trailer.error ==
              support::TrailerError::NotPresent);
    }
    SUBCASE("another session's config") {
        portal.download = signedDownload("654321");
        CHECK(joinByCode(portal.dialer(), requestFor("http://portal.test"), nullptr).error().error ==
              JoinError::WrongSession);
    }
    SUBCASE("the download refused") {
        portal.downloadStatus = 404;
        portal.download = bytesOf(R"({"error":"not_found","message":"This download link has expired."})");
        auto r = joinByCode(portal.dialer(), requestFor("http://portal.test"), nullptr);
        CHECK(r.error().error == JoinError::Refused);
        CHECK(r.error().message == "This download link has expired.");
    }
}

namespace {

// --open-url with the fake portal and a fake installed configuration.
struct Harness {
    FakePortal portal;
    std::optional<platform::service::InstalledServer> installed;
    platform::service::ServiceError installedError = platform::service::ServiceError::Unsupported;
    std::vector<SupportModeOptions> runs;
    std::vector<std::string> errors;

    int open(std::vector<std::string> args) {
        cli::Options o;
        o.command = "open-url";
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--server") o.server = args[++i], o.serverFlag = true;
            else if (args[i] == "--ca-file") o.caFile = args[++i], o.caFileFlag = true;
            else if (args[i] == "--pin-ca") o.pinCa = true;
            else o.openUrl = args[i];
        }
        OpenUrlEntryPoints entry;
        entry.dial = portal.dialer();
        using Installed = Result<platform::service::InstalledServer, platform::service::ServiceError>;
        entry.installedServer = [this]() -> Installed {
            if (installed) return *installed;
            return Failure{installedError};
        };
        entry.runSupport = [this](const SupportModeOptions& options) {
            runs.push_back(options);
            return 0;
        };
        entry.progress = [](const std::string&) {};
        entry.error = [this](const std::string& line) { errors.push_back(line); };
        entry.agentVersion = "9.9";
        return openSessionLink(o, entry);
    }
};

}  // namespace

TEST_CASE("--open-url with --server joins through it and keeps the agent's file") {
    Harness h;
    CHECK(h.open({"guruconnect://session/123456", "--server", "http://portal.test:8080", "--ca-file", "ca.pem",
                  "--pin-ca"}) == 0);
    REQUIRE(h.runs.size() == 1);
    const SupportModeOptions& o = h.runs[0];
    CHECK(o.ownFile.empty());  // support mode deletes nothing
    CHECK(o.config.code == "123456");
    CHECK(o.caFile == "ca.pem");
    CHECK(o.pinCa);
    CHECK(o.agentVersion == "9.9");
    CHECK(h.portal.dials[0].caFile == "ca.pem");
    CHECK(h.portal.dials[0].caFileOnly);
    CHECK(h.portal.requests[0].find("User-Agent: guruconnect-agent/9.9\r\n") != std::string::npos);
    CHECK(h.errors.empty());
}

TEST_CASE("--open-url without --server uses the installed agent's server and CA") {
    Harness h;
    h.installed = platform::service::InstalledServer{"wss://portal.test/api/agent/ws", "C:\\ca.pem", true};
    CHECK(h.open({"guruconnect://session/123456"}) == 0);
    REQUIRE(h.runs.size() == 1);
    CHECK(h.portal.dials[0].tls);
    CHECK(h.portal.dials[0].port == 443);
    CHECK(h.portal.dials[0].caFile == "C:\\ca.pem");
    CHECK(h.runs[0].caFile == "C:\\ca.pem");
    CHECK(h.runs[0].pinCa);
}

TEST_CASE("--open-url refusals: exit codes and messages, support mode never runs") {
    Harness h;
    CHECK(h.open({"guruconnect://session/123456"}) == 2);  // Linux: nothing installed
    CHECK(h.errors.back() == "no server: set GURU_SERVER (no installed agent configuration here)");
    h.installedError = platform::service::ServiceError::AccessDenied;
    CHECK(h.open({"guruconnect://session/123456"}) == 2);
    CHECK(h.errors.back().find("AccessDenied") != std::string::npos);
    CHECK(h.open({"guruconnect://session/12345", "--server", "http://portal.test"}) == 2);
    CHECK(h.errors.back().find("not a GuruConnect session link (BadCode)") != std::string::npos);
    CHECK(h.open({"guruconnect://session/123456", "--server", "ftp://portal.test"}) == 2);
    CHECK(h.open({"guruconnect://session/123456", "--server", "http://portal.test", "--pin-ca"}) == 2);
    CHECK(h.portal.requests.empty());

    h.portal.codeStatus = 404;
    h.portal.codeBody = R"({"error":"not_found","message":"No support session has this code.\u001b[2J"})";
    CHECK(h.open({"guruconnect://session/123456", "--server", "http://portal.test"}) == 1);
    CHECK(h.errors.back() == "support code 123456: No support session has this code.?[2J");
    CHECK(h.portal.requests.size() == 1);  // no download after a refusal

    h.portal.codeStatus = 200;
    h.portal.codeBody = json{{"downloadUrl", kTicket}}.dump();
    h.portal.download[h.portal.download.size() - 90] ^= std::byte{0x20};
    CHECK(h.open({"guruconnect://session/123456", "--server", "http://portal.test"}) == 1);
    CHECK(h.errors.back().starts_with("the session's configuration did not verify (BadSignature)"));
    CHECK(h.runs.empty());
}
