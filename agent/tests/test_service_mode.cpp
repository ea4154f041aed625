// Service mode's pure parts on every OS: the new flags, the strict guruconnect:// link check,
// and the Windows command lines (test_service_unsupported: the POSIX build's refusals).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_args.h"
#include "options.h"
#include "platform/service.h"
#include "service_commands.h"

using namespace guru;
using namespace guru::platform::service;

using guru::testing::parseArgs;

TEST_CASE("the service flags become commands, with their values") {
    bool ok = false;
    auto o = parseArgs({"--install", "--server", "ws://h/api/agent/ws", "--agent-id", "x", "--credential", "t",
                        "--ca-file", "ca.pem", "--pin-ca"},
                       ok);
    CHECK(ok);
    CHECK(o.command == "install");
    const AgentConfig config = agentConfigOf(o);
    CHECK(config.server == "ws://h/api/agent/ws");
    CHECK(config.agentId == "x");
    CHECK(config.credential == "t");
    CHECK(config.caFile == "ca.pem");
    CHECK(config.pinCa);
    CHECK(parseArgs({"--uninstall"}, ok).command == "uninstall");
    CHECK(parseArgs({"--service"}, ok).command == "service");
    o = parseArgs({"--session-helper", "--stop-event", "1234"}, ok);
    CHECK(ok);
    CHECK(o.command == "session-helper");
    CHECK(o.stopEvent == "1234");
    o = parseArgs({"--open-url", "guruconnect://session/123456"}, ok);
    CHECK(ok);
    CHECK(o.command == "open-url");
    CHECK(o.openUrl == "guruconnect://session/123456");
    parseArgs({"--open-url"}, ok);
    CHECK_FALSE(ok);  // missing its value
    // A link never becomes another command, whichever comes first.
    parseArgs({"--open-url", "guruconnect://session/123456", "--install", "--server", "ws://h/api/agent/ws"}, ok);
    CHECK_FALSE(ok);
    parseArgs({"--uninstall", "--open-url", "guruconnect://session/123456"}, ok);
    CHECK_FALSE(ok);
    parseArgs({"--open-url", "guruconnect://session/123456", "--self-test"}, ok);
    CHECK_FALSE(ok);
    // Exactly `--open-url URL`: no flag may stand beside it, not even a harmless one.
    for (const auto& extra : std::vector<std::vector<std::string>>{
             {"--server", "http://h"}, {"--display", ":1"}, {"--ca-file", "evil.pem"}, {"--pin-ca"},
             {"--support-trailer", "C:/Windows/win.ini"}, {"extra"}}) {
        std::vector<std::string> args{"--open-url", "guruconnect://session/123456"};
        args.insert(args.end(), extra.begin(), extra.end());
        parseArgs(args, ok);
        CHECK_FALSE(ok);
        args.erase(args.begin(), args.begin() + 2);
        args.insert(args.end(), {"--open-url", "guruconnect://session/123456"});
        parseArgs(args, ok);
        CHECK_FALSE(ok);
    }
    parseArgs({"--session-helper", "--stop-event"}, ok);
    CHECK_FALSE(ok);
}

TEST_CASE("a guruconnect:// link is six digits after guruconnect://session/ and nothing else") {
    auto good = parseSessionUrl("guruconnect://session/012345");
    REQUIRE(good.ok());
    CHECK(*good == "012345");
    const struct {
        const char* url;
        SessionUrlError error;
    } bad[] = {
        {"", SessionUrlError::WrongScheme},
        {"https://session/123456", SessionUrlError::WrongScheme},
        {"GURUCONNECT://session/123456", SessionUrlError::WrongScheme},
        {"guruconnect:session/123456", SessionUrlError::WrongScheme},
        {" guruconnect://session/123456", SessionUrlError::WrongScheme},
        {"guruconnect://Session/123456", SessionUrlError::WrongPath},
        {"guruconnect://sessions/123456", SessionUrlError::WrongPath},
        {"guruconnect://evil.example/session/123456", SessionUrlError::WrongPath},
        {"guruconnect://session/12345", SessionUrlError::BadCode},
        {"guruconnect://session/1234567", SessionUrlError::BadCode},
        {"guruconnect://session/12345a", SessionUrlError::BadCode},
        {"guruconnect://session/123456/", SessionUrlError::BadCode},
        {"guruconnect://session/123456/x", SessionUrlError::BadCode},
        {"guruconnect://session/123456?x=1", SessionUrlError::BadCode},
        {"guruconnect://session/123456#x", SessionUrlError::BadCode},
        {"guruconnect://session/%31%32%33%34%35%36", SessionUrlError::BadCode},
        {"guruconnect://session/12%3456", SessionUrlError::BadCode},
        {"guruconnect://session/123456 ", SessionUrlError::BadCode},
        {"guruconnect://session/１２３４５６", SessionUrlError::BadCode},  // full-width digits
        {"guruconnect://session/", SessionUrlError::BadCode},
    };
    for (const auto& b : bad) {
        CAPTURE(b.url);
        auto r = parseSessionUrl(b.url);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == b.error);
    }
    const std::string longest = "guruconnect://session/" + std::string(kMaxSessionUrlLength - 22, '1');
    CHECK(parseSessionUrl(longest).error() == SessionUrlError::BadCode);
    CHECK(parseSessionUrl(longest + "1").error() == SessionUrlError::TooLong);
    CHECK(parseSessionUrl(std::string(100000, 'g')).error() == SessionUrlError::TooLong);
    CHECK(std::string(name(SessionUrlError::BadCode)) == "BadCode");
}

TEST_CASE("arguments are quoted the way CommandLineToArgvW splits them back") {
    CHECK(quoteArgument("plain") == "plain");
    CHECK(quoteArgument("") == "\"\"");
    CHECK(quoteArgument("two words") == "\"two words\"");
    CHECK(quoteArgument("say \"hi\"") == "\"say \\\"hi\\\"\"");
    CHECK(quoteArgument("C:\\dir with space\\") == "\"C:\\dir with space\\\\\"");  // trailing \ doubled
    CHECK(quoteArgument("a\\\\b c") == "\"a\\\\b c\"");                            // inner \\ kept
    CHECK(quoteArgument("a\\\"b") == "\"a\\\\\\\"b\"");                             // \" → \\\"
    CHECK(quoteArgument("C:\\no\\spaces") == "C:\\no\\spaces");
}

TEST_CASE("the service, helper and URL handler command lines") {
    const std::string exe = "C:\\Program Files\\GuruConnect\\guruconnect-agent.exe";
    CHECK(serviceCommandLine(exe) == "\"" + exe + "\" --service");
    CHECK(sessionHelperCommandLine(exe, 0x2a4) == "\"" + exe + "\" --session-helper --stop-event 676");
    CHECK(urlHandlerCommand(exe) == "\"" + exe + "\" --open-url \"%1\"");
    CHECK(parseHandleValue("676") == 676u);
    CHECK(parseHandleValue("4294967295") == 4294967295u);
    CHECK_FALSE(parseHandleValue("4294967296"));
    CHECK_FALSE(parseHandleValue("0"));
    CHECK_FALSE(parseHandleValue(""));
    CHECK_FALSE(parseHandleValue("-1"));
    CHECK_FALSE(parseHandleValue("12a"));
    CHECK_FALSE(parseHandleValue("0x10"));
    CHECK_FALSE(parseHandleValue("99999999999"));
}

TEST_CASE("every error has a name and an explanation") {
    for (int e = 0; e <= static_cast<int>(ServiceError::CaFileNotFound); ++e) {
        CAPTURE(e);
        CHECK(std::string(name(static_cast<ServiceError>(e))) != "?");
        CHECK(std::string(describe(static_cast<ServiceError>(e))) != "?");
    }
}
