// The Windows diagnostics snapshot on the machine it runs on (real Windows, or Wine under
// agent/platform/win32/wine_test.sh): memory as GlobalMemoryStatusEx says, C:\ among the
// fixed drives, at least one interface, this test process among the processes, and a report
// that is valid JSON within the protocol's cap.
#include <doctest/doctest.h>

#include <windows.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/diagnostics_report.h"
#include "platform/system_snapshot.h"

using namespace guru;
using namespace guru::platform;
using namespace std::chrono_literals;

namespace {

const SystemSnapshot& busySnapshot() {
    static const SystemSnapshot snapshot = [] {
        std::atomic<bool> stop{false};
        std::thread burner([&stop] {
            volatile std::uint64_t x = 0;
            while (!stop.load(std::memory_order_relaxed)) x = x + 1;
        });
        SnapshotOptions options;
        options.deadline = std::chrono::steady_clock::now() + 10s;
        SystemSnapshot s = collectSystemSnapshot(options);
        stop = true;
        burner.join();
        return s;
    }();
    return snapshot;
}

}  // namespace

TEST_CASE("host, uptime, memory and CPU are plausible") {
    const auto& s = busySnapshot();
    REQUIRE(s.host.ok());
    CHECK(s.host->platform == "windows");
    CHECK_FALSE(s.host->name.empty());
    CHECK(s.host->os.find("Windows") != std::string::npos);  // Wine 8: "Microsoft Windows 7 (build 7601)"
    CHECK(s.host->kernel.find('.') != std::string::npos);
    REQUIRE(s.uptimeSeconds.ok());
    REQUIRE(s.memory.ok());
    MEMORYSTATUSEX m{};
    m.dwLength = sizeof m;
    REQUIRE(GlobalMemoryStatusEx(&m));
    CHECK(s.memory->totalBytes > 0);
    CHECK(s.memory->totalBytes == m.ullTotalPhys);
    CHECK(s.memory->availableBytes <= s.memory->totalBytes);
    REQUIRE(s.cpu.ok());
    SYSTEM_INFO info{};
    GetNativeSystemInfo(&info);
    CHECK(s.cpu->logicalCores == info.dwNumberOfProcessors);
    CHECK(s.cpu->usagePercent >= 0);
    CHECK(s.cpu->usagePercent <= 100);
    MESSAGE("cpu model: " << s.cpu->model << ", usage " << s.cpu->usagePercent << " %, os: " << s.host->os);
}

TEST_CASE("C:\\ is among the fixed drives") {
    const auto& s = busySnapshot();
    REQUIRE(s.disks.ok());
    auto c = std::find_if(s.disks->begin(), s.disks->end(), [](const Disk& d) { return d.mount == "C:\\"; });
    REQUIRE(c != s.disks->end());
    CHECK(c->totalBytes > 0);
    CHECK(c->freeBytes <= c->totalBytes);
    MESSAGE("C:\\ " << c->fileSystem << " " << c->totalBytes << " bytes");
}

TEST_CASE("at least one network interface, each with a name") {
    const auto& s = busySnapshot();
    REQUIRE(s.network.ok());
    REQUIRE_FALSE(s.network->interfaces.empty());
    for (const auto& i : s.network->interfaces) CHECK_FALSE(i.name.empty());
    MESSAGE(s.network->interfaces.size() << " interfaces, " << s.network->gateways.size() << " gateways, "
                                         << s.network->dnsServers.size() << " DNS servers");
}

TEST_CASE("this test process is among the processes") {
    const auto& s = busySnapshot();
    REQUIRE(s.processes.ok());
    auto self = std::find_if(s.processes->begin(), s.processes->end(),
                             [](const ProcessUsage& p) { return p.pid == GetCurrentProcessId(); });
    REQUIRE(self != s.processes->end());
    CHECK(self->name == "test_win32_system_snapshot.exe");
    CHECK(self->memoryBytes > 0);
    MESSAGE("self: " << self->cpuPercent << " % CPU, " << self->memoryBytes << " bytes");
}

TEST_CASE("the event log and pending reboot: values or reasons; the report is valid JSON") {
    const auto& s = busySnapshot();
    if (s.recentErrors.ok()) {
        CHECK(s.recentErrors->size() <= 50);
    } else {
        CHECK(s.recentErrors.error().reason.find("system log") != std::string::npos);
        MESSAGE("recentErrors: " << s.recentErrors.error().reason);
    }
    REQUIRE(s.pendingReboot.ok());
    CHECK(s.pendingReboot->pending == !s.pendingReboot->reasons.empty());
    const std::string text = diagnostics::buildReport(s, {"test"});
    CHECK(text.size() <= 262144);
    auto r = nlohmann::json::parse(text, nullptr, false);
    REQUIRE_FALSE(r.is_discarded());
    CHECK(r["host"]["platform"] == "windows");
}
