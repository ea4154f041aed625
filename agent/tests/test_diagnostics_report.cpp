// The DiagnosticsReport JSON (docs/protocol.md §4, schema 1) from fixed snapshots: the keys
// and types of the contract, failed sections in sectionErrors, string escaping and UTF-8
// repair, the process and log limits, and the 262,144-byte cap.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/diagnostics_report.h"

using namespace guru;
using namespace guru::diagnostics;
using nlohmann::json;
using std::chrono::system_clock;

namespace {

system_clock::time_point at(int seconds) {
    // 2026-12-03T20:00:00Z plus `seconds`.
    using namespace std::chrono;
    return sys_days{year{2026} / December / 3} + hours{20} + std::chrono::seconds{seconds};
}

platform::SystemSnapshot fullSnapshot() {
    platform::SystemSnapshot s;
    s.collectedAt = at(0);
    s.host = platform::HostSection{"SARAH-PC", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "linux"};
    s.uptimeSeconds = std::uint64_t{12345};
    s.cpu = platform::CpuSection{"AMD EPYC 7B13", 2, 12.54};
    s.memory = platform::MemorySection{8ull << 30, 3ull << 30, 1ull << 30, 1ull << 29};
    s.disks = std::vector<platform::Disk>{{"/", "ext4", 100ull << 30, 40ull << 30}};
    s.processes = std::vector<platform::ProcessUsage>{{1, "systemd", 0.0, 12 << 20}, {4242, "firefox", 31.25, 900 << 20}};
    s.recentErrors = std::vector<platform::LogEntry>{{at(-60), "kernel", "EXT4-fs error"}, {at(-5), "sshd", "fatal: no"}};
    platform::NetworkSection n;
    n.interfaces = {{"lo", std::nullopt, true, {"127.0.0.1/8", "::1/128"}},
                    {"eth0", "aa:bb:cc:dd:ee:ff", true, {"192.168.1.5/24"}}};
    n.gateways = {"192.168.1.1"};
    n.dnsServers = {"1.1.1.1"};
    s.network = n;
    s.pendingReboot = platform::PendingRebootSection{true, {"/var/run/reboot-required", "linux-image-6.1.0-19-amd64"}};
    return s;
}

json parse(const std::string& text) {
    auto parsed = json::parse(text, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    return parsed;
}

}  // namespace

TEST_CASE("every schema-1 key, with the contract's types") {
    const std::string text = buildReport(fullSnapshot(), {"1.2.3"});
    const json r = parse(text);
    std::vector<std::string> keys;  // in the order written
    const auto ordered = nlohmann::ordered_json::parse(text);
    for (const auto& [k, v] : ordered.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"schema", "collectedAt", "agentVersion", "host", "uptimeSeconds", "cpu",
                                           "memory", "disks", "processes", "recentErrors", "network", "pendingReboot",
                                           "sectionErrors"});
    CHECK(r["schema"] == 1);
    CHECK(r["collectedAt"] == "2026-12-03T20:00:00Z");
    CHECK(r["agentVersion"] == "1.2.3");
    CHECK(r["host"] == json{{"name", "SARAH-PC"}, {"os", "Debian GNU/Linux 12 (bookworm)"},
                            {"kernel", "6.1.0-18-amd64"}, {"platform", "linux"}});
    CHECK(r["uptimeSeconds"] == 12345);
    CHECK(r["cpu"]["model"] == "AMD EPYC 7B13");
    CHECK(r["cpu"]["logicalCores"] == 2);
    CHECK(r["cpu"]["usagePercent"].get<double>() == doctest::Approx(12.5));
    CHECK(r["memory"]["totalBytes"] == 8ull << 30);
    CHECK(r["memory"]["swapFreeBytes"] == 1ull << 29);
    CHECK(r["disks"] == json::array({{{"mount", "/"}, {"fileSystem", "ext4"}, {"totalBytes", 100ull << 30},
                                      {"freeBytes", 40ull << 30}}}));
    // Top by CPU first.
    REQUIRE(r["processes"].size() == 2);
    CHECK(r["processes"][0]["name"] == "firefox");
    CHECK(r["processes"][0]["pid"] == 4242);
    CHECK(r["processes"][0]["cpuPercent"].get<double>() == doctest::Approx(31.3));
    CHECK(r["processes"][0]["memoryBytes"] == 900 << 20);
    // Newest first, times in ISO-8601 UTC.
    REQUIRE(r["recentErrors"].size() == 2);
    CHECK(r["recentErrors"][0] == json{{"time", "2026-12-03T19:59:55Z"}, {"source", "sshd"}, {"message", "fatal: no"}});
    CHECK(r["recentErrors"][1]["time"] == "2026-12-03T19:59:00Z");
    CHECK(r["network"]["interfaces"][0]["mac"].is_null());
    CHECK(r["network"]["interfaces"][1]["mac"] == "aa:bb:cc:dd:ee:ff");
    CHECK(r["network"]["interfaces"][1]["up"] == true);
    CHECK(r["network"]["interfaces"][0]["addresses"] == json::array({"127.0.0.1/8", "::1/128"}));
    CHECK(r["network"]["gateways"] == json::array({"192.168.1.1"}));
    CHECK(r["network"]["dnsServers"] == json::array({"1.1.1.1"}));
    CHECK(r["pendingReboot"]["pending"] == true);
    CHECK(r["pendingReboot"]["reasons"].size() == 2);
    CHECK(r["sectionErrors"] == json::object());
}

TEST_CASE("a failed section is empty in the report and its reason is in sectionErrors") {
    auto s = fullSnapshot();
    s.recentErrors = Failure{platform::SectionError{"the system log cannot be read: no journal"}};
    s.cpu = Failure{platform::SectionError{"/proc/stat cannot be read"}};
    s.disks = Failure{platform::SectionError{"no mounts"}};
    const json r = parse(buildReport(s, {"1"}));
    CHECK(r["recentErrors"] == json::array());
    CHECK(r["cpu"].is_null());
    CHECK(r["disks"] == json::array());
    CHECK(r["sectionErrors"] == json{{"cpu", "/proc/stat cannot be read"}, {"disks", "no mounts"},
                                     {"recentErrors", "the system log cannot be read: no journal"}});
    // The sections that worked are all there.
    CHECK(r["memory"]["totalBytes"] == 8ull << 30);
    CHECK(r["host"]["name"] == "SARAH-PC");
}

TEST_CASE("strings are escaped, and bytes that are not UTF-8 become U+FFFD") {
    auto s = fullSnapshot();
    const std::string nasty = std::string("quote \" backslash \\ newline \n tab \t bell \x07 nul ") + '\0' +
                              " end }],\"schema\":2";
    s.host = platform::HostSection{nasty, "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac", "bad \xff\xfe utf8 \xc3", "linux"};
    const std::string text = buildReport(s, {"v"});
    const json r = parse(text);
    CHECK(r["schema"] == 1);  // the injected "schema" stayed inside the string
    CHECK(r["host"]["name"] == nasty);
    CHECK(r["host"]["os"] == "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac");
    CHECK(r["host"]["kernel"] == "bad \xef\xbf\xbd\xef\xbf\xbd utf8 \xef\xbf\xbd");
    CHECK(text.find('\n') == std::string::npos);  // control characters are escaped, not raw
    CHECK(text.find('\0') == std::string::npos);
}

TEST_CASE("the top 15 processes by CPU then memory; at most 50 errors, newest first, messages cut to 1,000 characters") {
    auto s = fullSnapshot();
    std::vector<platform::ProcessUsage> many;
    // Ten busy ones (even pids up to 20, at pid %), the rest idle with memory growing with the pid.
    for (std::uint32_t i = 1; i <= 40; ++i)
        many.push_back({i, "p" + std::to_string(i), i % 2 == 0 && i <= 20 ? i * 1.0 : 0.0, i * 1000ull});
    s.processes = many;
    std::vector<platform::LogEntry> errors;
    for (int i = 0; i < 70; ++i) errors.push_back({at(i), "src", std::string(1500, 'e') + "\xe2\x82\xac"});
    s.recentErrors = errors;
    const json r = parse(buildReport(s, {"v"}));
    REQUIRE(r["processes"].size() == kMaxProcesses);
    CHECK(r["processes"][0]["pid"] == 20);   // busiest
    CHECK(r["processes"][9]["pid"] == 2);    // the least busy of the busy ones
    CHECK(r["processes"][10]["pid"] == 40);  // then the idle ones by memory
    CHECK(r["processes"][14]["pid"] == 36);
    REQUIRE(r["recentErrors"].size() == kMaxRecentErrors);
    CHECK(r["recentErrors"][0]["time"] == "2026-12-03T20:01:09Z");
    CHECK(r["recentErrors"][49]["time"] == "2026-12-03T20:00:20Z");
    const std::string message = r["recentErrors"][0]["message"];
    CHECK(message == std::string(999, 'e') + "\xe2\x80\xa6");
}

TEST_CASE("a report that would pass 262,144 bytes is trimmed, and stays valid JSON") {
    auto s = fullSnapshot();
    // 50 messages of 1,000 control characters: each escapes to 6,000 bytes, 300 KB in all.
    std::vector<platform::LogEntry> errors;
    for (int i = 0; i < 50; ++i) errors.push_back({at(i), "src", std::string(1000, '\x01')});
    s.recentErrors = errors;
    std::vector<platform::ProcessUsage> many;
    for (std::uint32_t i = 1; i <= 40; ++i) many.push_back({i, std::string(200, '\x02'), 1.0 * i, 1});
    s.processes = many;
    const std::string text = buildReport(s, {"v"});
    CHECK(text.size() <= 262144);
    const json r = parse(text);
    CHECK(r["recentErrors"].size() == 50);  // the messages were cut first
    CHECK(r["recentErrors"][0]["message"].get<std::string>().size() < 1000);
    CHECK(r["processes"].size() == kMaxProcesses);
    CHECK(r["memory"]["totalBytes"] == 8ull << 30);

    // A much smaller cap: lists go, never validity or the fixed fields.
    for (std::size_t cap : {6000u, 2000u, 1200u}) {
        CAPTURE(cap);
        const std::string small = buildReport(s, {"v", cap});
        CHECK(small.size() <= cap);
        const json t = parse(small);
        CHECK(t["schema"] == 1);
    }
    const json tiny = parse(buildReport(s, {"v", 1200}));
    CHECK(tiny["recentErrors"].size() < 50);
    CHECK(tiny["processes"].size() < kMaxProcesses);
}

TEST_CASE("the text helpers") {
    CHECK(isoUtc(at(3661)) == "2026-12-03T21:01:01Z");
    CHECK(isoUtc(system_clock::time_point{}) == "1970-01-01T00:00:00Z");
    CHECK(truncateChars("abc", 3) == "abc");
    CHECK(truncateChars("abcd", 3) == "ab\xe2\x80\xa6");
    CHECK(truncateChars("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 3) == "\xe2\x82\xac\xe2\x82\xac\xe2\x80\xa6");
    CHECK(validUtf8("ok \xc3\xa9") == "ok \xc3\xa9");
    CHECK(validUtf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate is not UTF-8
    CHECK(validUtf8("\xf0\x9f\x98") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // cut short
}
