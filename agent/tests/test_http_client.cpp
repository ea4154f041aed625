// The HTTP/1.1 response parser fed in one buffer, byte by byte and in odd splits (good
// responses, chunked bodies with extensions and trailers, 204), its refusals (malformed
// status lines and headers, smuggling-shaped framing, oversized headers and bodies,
// truncation), the request bytes, and fetch() over a scripted transport.
#include <doctest/doctest.h>

#include <deque>
#include <string>

#include "core/http_client.h"

using namespace guru;
using namespace guru::http;
using platform::TransportError;

namespace {

Bytes bytesOf(std::string_view s) { return Bytes(asBytes(s).begin(), asBytes(s).end()); }
std::string text(const Bytes& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

// The parse of `wire` fed in pieces of `step` bytes (0: all at once), finished at the end.
Result<Response, HttpError> parseIn(std::string_view wire, std::size_t step, std::size_t maxBody = 1 << 20) {
    ResponseParser parser(maxBody);
    const Bytes data = bytesOf(wire);
    const std::size_t n = step == 0 ? data.size() : step;
    for (std::size_t at = 0; at < data.size(); at += n) {
        auto done = parser.feed(ByteView(data).subspan(at, std::min(n, data.size() - at)));
        if (!done) return Failure{done.error()};
        if (*done) return parser.take();
    }
    if (auto finished = parser.finish(); !finished) return Failure{finished.error()};
    return parser.take();
}

// The same outcome whatever the split: returns it.
Result<Response, HttpError> parse(std::string_view wire, std::size_t maxBody = 1 << 20) {
    auto whole = parseIn(wire, 0, maxBody);
    for (std::size_t step : {1, 2, 3, 7, 64}) {
        CAPTURE(step);
        auto split = parseIn(wire, step, maxBody);
        REQUIRE(split.ok() == whole.ok());
        if (whole) {
            CHECK(split->status == whole->status);
            CHECK(split->body == whole->body);
            CHECK(split->headers == whole->headers);
        } else {
            CHECK(split.error() == whole.error());
        }
    }
    return whole;
}

HttpError errorOf(std::string_view wire, std::size_t maxBody = 1 << 20) {
    auto r = parse(wire, maxBody);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

}  // namespace

TEST_CASE("a Content-Length response, as Hummingbird sends it") {
    auto r = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                   "Content-Length: 15\r\nDate: Thu, 26 Nov 2026 03:00:00 GMT\r\n\r\n{\"code\":\"1234\"}");
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(text(r->body) == "{\"code\":\"1234\"}");
    CHECK(r->header("content-type") == "application/json; charset=utf-8");
    CHECK(r->header("content-length") == "15");
    CHECK_FALSE(r->header("Content-Type"));  // names are looked up lower-case
}

TEST_CASE("status lines, header whitespace and empty bodies") {
    auto r = parse("HTTP/1.0 404 Not Found\r\nX-Empty:\r\nX-Pad: \t padded \t\r\ncontent-length: 0\r\n\r\n");
    REQUIRE(r.ok());
    CHECK(r->status == 404);
    CHECK(r->body.empty());
    CHECK(r->header("x-empty") == "");
    CHECK(r->header("x-pad") == "padded");
    CHECK(parse("HTTP/1.1 429 \r\nContent-Length: 2\r\n\r\nhi")->status == 429);   // empty reason
    CHECK(parse("HTTP/1.1 503\r\nContent-Length: 2\r\n\r\nhi")->status == 503);    // no reason at all
    CHECK(parse("HTTP/1.1 204 No Content\r\n\r\n")->body.empty());               // never a body
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab")->body == bytesOf("a"));  // rest ignored
}

TEST_CASE("chunked bodies: sizes in hex, extensions, trailers") {
    auto r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                   "5\r\nhello\r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 1\r\n\r\n");
    REQUIRE(r.ok());
    CHECK(text(r->body) == "helloabcdefghijklmnopqrstuvwxyz");
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")->body.empty());
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 ;x\r\nabc\r\n0\r\n\r\n")->body ==
          bytesOf("abc"));
}

TEST_CASE("malformed status lines are refused") {
    for (const char* wire : {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
                             "HTTP/1.1  200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n", "HTTP/1.2 200 OK\r\n\r\n",
                             "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 600 Odd\r\n\r\n",
                             "HTTP/1.1 200 O\x01K\r\n\r\n", "ICY 200 OK\r\n\r\n", "\r\n\r\n",
                             "HTTP/1.1 2x0 OK\r\n\r\n"}) {
        CAPTURE(wire);
        CHECK(errorOf(wire) == HttpError::MalformedStatus);
    }
}

TEST_CASE("malformed header lines are refused") {
    for (const char* wire :
         {"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
          "HTTP/1.1 200 OK\r\nSpace before : colon\r\n\r\n", "HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n",
          "HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n",
          "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "HTTP/1.1 200 OK\r\nA: 1\nB: 2\r\n\r\n",
          "HTTP/1.1 200 OK\r\nN\xc3\xa4me: x\r\n\r\n"}) {
        CAPTURE(wire);
        CHECK(errorOf(wire) == HttpError::MalformedHeader);
    }
}

TEST_CASE("framing that could be read two ways is refused") {
    CHECK(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na") ==
          HttpError::BadContentLength);
    CHECK(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") ==
          HttpError::BadContentLength);
    for (const char* length : {"-1", "+1", "1 1", "0x10", "", "12345678901234567890", "1,1"}) {
        CAPTURE(length);
        CHECK(errorOf("HTTP/1.1 200 OK\r\nContent-Length: " + std::string(length) + "\r\n\r\n") ==
              HttpError::BadContentLength);
    }
    CHECK(errorOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == HttpError::UnsupportedEncoding);
    CHECK(errorOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") ==
          HttpError::UnsupportedEncoding);
    CHECK(errorOf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close") == HttpError::NoLength);
}

TEST_CASE("malformed chunks are refused") {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const char* body : {"g\r\n", "\r\n", ";x\r\n", "5\r\nhelloXY", "5 5\r\nhello\r\n",
                             "1000000000000000\r\n", "3\r\nabc\r\n0\r\nbad trailer\r\n\r\n"}) {
        CAPTURE(body);
        const HttpError e = errorOf(head + body);
        CHECK((e == HttpError::MalformedChunk || e == HttpError::MalformedHeader));
    }
    CHECK(errorOf(head + std::string(kMaxChunkLine + 1, '1')) == HttpError::MalformedChunk);
}

TEST_CASE("oversized headers and bodies are refused before they are stored") {
    const std::string big(kMaxHeaderBlock, 'a');
    CHECK(errorOf("HTTP/1.1 200 OK\r\nX: " + big + "\r\n\r\n") == HttpError::HeaderTooLarge);
    std::string many = "HTTP/1.1 200 OK\r\n";
    for (std::size_t i = 0; i <= kMaxHeaderCount; ++i) many += "X: 1\r\n";
    CHECK(errorOf(many + "\r\n") == HttpError::HeaderTooLarge);
    // A header block of exactly the limit is fine.
    std::string exact = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: ";
    exact += std::string(kMaxHeaderBlock - exact.size() - 4, 'b') + "\r\n\r\n";
    REQUIRE(exact.size() == kMaxHeaderBlock);
    CHECK(parse(exact).ok());

    CHECK(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", 10) == HttpError::BodyTooLarge);
    CHECK(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999\r\n\r\n", 10) == HttpError::BodyTooLarge);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 10).ok());
    const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    CHECK(errorOf(chunked + "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n", 10) == HttpError::BodyTooLarge);
    CHECK(errorOf(chunked + "fffffffffffffff\r\n", 10) == HttpError::BodyTooLarge);
    CHECK(errorOf(chunked + "0\r\nX: " + big + "\r\n\r\n") == HttpError::HeaderTooLarge);
}

TEST_CASE("a response cut short is Truncated, and errors are final") {
    for (const char* wire : {"", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc",
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"}) {
        CAPTURE(wire);
        CHECK(errorOf(wire) == HttpError::Truncated);
    }
    ResponseParser parser(100);
    CHECK(parser.feed(bytesOf("HTTP/9 200\r\n\r\n")).error() == HttpError::MalformedStatus);
    CHECK(parser.feed(bytesOf("HTTP/1.1 200 OK\r\n\r\n")).error() == HttpError::MalformedStatus);
    CHECK(parser.finish().error() == HttpError::MalformedStatus);
}

TEST_CASE("the request: Host, Content-Length, Connection: close, and nothing injectable") {
    Origin origin{false, "portal.test", 8080, "/guru"};
    Request post{"POST", "/api/portal/code?platform=linux", "application/json", "{\"code\":\"123456\"}"};
    auto bytes = buildRequest(origin, post, "guruconnect-agent/1.0");
    REQUIRE(bytes.ok());
    CHECK(*bytes ==
          "POST /guru/api/portal/code?platform=linux HTTP/1.1\r\nHost: portal.test:8080\r\n"
          "User-Agent: guruconnect-agent/1.0\r\nAccept: */*\r\nContent-Type: application/json\r\n"
          "Content-Length: 17\r\nConnection: close\r\n\r\n{\"code\":\"123456\"}");
    CHECK(buildRequest({true, "::1", 443, ""}, {"GET", "/x", "", ""}, "a")->starts_with(
        "GET /x HTTP/1.1\r\nHost: [::1]\r\n"));
    for (const Request& bad : {Request{"GET", "x", "", ""}, Request{"GET", "/a b", "", ""},
                               Request{"GET", "/a\r\nX: 1", "", ""}, Request{"get", "/", "", ""},
                               Request{"GET", "/", "a\r\nb", ""},
                               Request{"GET", "/" + std::string(kMaxPath, 'a'), "", ""},
                               Request{"", "/", "", ""}}) {
        CHECK(buildRequest(origin, bad, "ua").error() == HttpError::BadRequest);
    }
    CHECK(buildRequest(origin, {"GET", "/", "", ""}, "ua\n").error() == HttpError::BadRequest);
}

namespace {

// Serves one scripted response in pieces; records the request; then says Closed.
class ScriptedServer final : public platform::Transport {
public:
    std::deque<Bytes> chunks;
    Bytes sent;
    bool stall = false;  // time out forever instead of closing

    Outcome<TransportError> send(ByteView data) override {
        sent.insert(sent.end(), data.begin(), data.end());
        return Unit{};
    }
    Result<std::size_t, TransportError> receive(std::span<std::byte> into, std::chrono::milliseconds) override {
        if (chunks.empty()) return Failure{stall ? TransportError::Timeout : TransportError::Closed};
        Bytes& c = chunks.front();
        const std::size_t n = std::min(into.size(), c.size());
        std::copy_n(c.begin(), n, into.begin());
        c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n));
        if (c.empty()) chunks.pop_front();
        return n;
    }
    void interrupt() override {}
};

struct Fetched {
    Result<Response, FetchError> result;
    std::string request;
    platform::TransportOptions dialed;
};

Fetched fetchFrom(std::deque<Bytes> chunks, Limits limits = {}, bool stall = false) {
    auto server = std::make_shared<ScriptedServer>();
    server->chunks = std::move(chunks);
    server->stall = stall;
    platform::TransportOptions dialed;
    ws::Dialer dial = [&](const platform::TransportOptions& o, const std::atomic<bool>*)
        -> Result<std::unique_ptr<platform::Transport>, TransportError> {
        dialed = o;
        struct Shared final : platform::Transport {
            std::shared_ptr<ScriptedServer> s;
            Outcome<TransportError> send(ByteView d) override { return s->send(d); }
            Result<std::size_t, TransportError> receive(std::span<std::byte> i, std::chrono::milliseconds t) override {
                return s->receive(i, t);
            }
            void interrupt() override {}
        };
        auto t = std::make_unique<Shared>();
        t->s = server;
        return std::unique_ptr<platform::Transport>(std::move(t));
    };
    platform::TransportOptions base;
    base.caFile = "ca.pem";
    auto result = fetch(dial, {true, "portal.test", 8443, ""}, {"GET", "/api/x", "", ""}, base, limits, "ua",
                        nullptr);
    return {std::move(result), text(server->sent), dialed};
}

}  // namespace

TEST_CASE("fetch dials the origin and reads the response across reads") {
    auto f = fetchFrom({bytesOf("HTTP/1.1 200 OK\r\nContent-Le"), bytesOf("ngth: 4\r\n\r\nda"), bytesOf("ta")});
    REQUIRE(f.result.ok());
    CHECK(text(f.result->body) == "data");
    CHECK(f.request.starts_with("GET /api/x HTTP/1.1\r\nHost: portal.test:8443\r\n"));
    CHECK(f.dialed.host == "portal.test");
    CHECK(f.dialed.port == 8443);
    CHECK(f.dialed.tls);
    CHECK(f.dialed.caFile == "ca.pem");
}

TEST_CASE("fetch: a close before the end, a body over the limit, a silent server") {
    auto cut = fetchFrom({bytesOf("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")});
    CHECK(cut.result.error().error == HttpError::Truncated);
    auto big = fetchFrom({bytesOf("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")},
                         Limits{5, std::chrono::seconds(5)});
    CHECK(big.result.error().error == HttpError::BodyTooLarge);
    auto silent = fetchFrom({}, Limits{5, std::chrono::milliseconds(300)}, true);
    CHECK(silent.result.error().error == HttpError::Transport);
    CHECK(silent.result.error().transport == TransportError::Timeout);
    CHECK(describe(silent.result.error()) == "transport: Timeout");
    CHECK(describe(cut.result.error()) == "http: Truncated");
}
