// The Linux snapshot against this machine (memory as /proc/meminfo says, the root file
// system, lo, this test's own busy pid), and the parsers against fixed text.
#include <doctest/doctest.h>

#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/diagnostics_report.h"
#include "platform/linux/linux_system_log.h"
#include "platform/linux/proc_text.h"
#include "platform/system_snapshot.h"

using namespace guru;
using namespace guru::platform;
using namespace std::chrono_literals;

namespace {

std::string slurp(const char* path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// MemTotal read here independently of proc_text: "MemTotal:   8049020 kB".
std::uint64_t memTotalBytes() {
    std::istringstream in(slurp("/proc/meminfo"));
    std::string key, unit;
    std::uint64_t value = 0;
    while (in >> key >> value >> unit)
        if (key == "MemTotal:") return value * 1024;
    return 0;
}

/// One snapshot while a thread of this process spins, shared by the live cases.
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

TEST_CASE("live: host, uptime, memory and CPU are this machine's") {
    const auto& s = busySnapshot();
    REQUIRE(s.host.ok());
    utsname u{};
    REQUIRE(uname(&u) == 0);
    CHECK(s.host->platform == "linux");
    CHECK(s.host->kernel == u.release);
    CHECK(s.host->name == u.nodename);
    CHECK_FALSE(s.host->os.empty());
    REQUIRE(s.uptimeSeconds.ok());
    CHECK(*s.uptimeSeconds > 0);
    REQUIRE(s.memory.ok());
    CHECK(s.memory->totalBytes == memTotalBytes());
    CHECK(s.memory->availableBytes <= s.memory->totalBytes);
    CHECK(s.memory->swapFreeBytes <= s.memory->swapTotalBytes);
    REQUIRE(s.cpu.ok());
    CHECK(s.cpu->logicalCores == static_cast<std::uint32_t>(sysconf(_SC_NPROCESSORS_ONLN)));
    CHECK(s.cpu->usagePercent > 0);  // this test's own thread was spinning
    CHECK(s.cpu->usagePercent <= 100);
}

TEST_CASE("live: the root file system is among the disks, with plausible sizes") {
    const auto& s = busySnapshot();
    REQUIRE(s.disks.ok());
    auto root = std::find_if(s.disks->begin(), s.disks->end(), [](const Disk& d) { return d.mount == "/"; });
    REQUIRE(root != s.disks->end());
    CHECK(root->totalBytes > 0);
    CHECK(root->freeBytes <= root->totalBytes);
    CHECK_FALSE(root->fileSystem.empty());
    for (const auto& d : *s.disks) {
        CAPTURE(d.mount);
        CHECK(linux_text::isLocalDiskFileSystem(d.fileSystem));
        CHECK(d.mount.rfind("/proc", 0) != 0);
    }
}

TEST_CASE("live: lo is among the interfaces, up, with 127.0.0.1/8 and no MAC") {
    const auto& s = busySnapshot();
    REQUIRE(s.network.ok());
    auto lo = std::find_if(s.network->interfaces.begin(), s.network->interfaces.end(),
                           [](const NetworkInterface& i) { return i.name == "lo"; });
    REQUIRE(lo != s.network->interfaces.end());
    CHECK(lo->up);
    CHECK_FALSE(lo->mac.has_value());
    CHECK(std::find(lo->addresses.begin(), lo->addresses.end(), "127.0.0.1/8") != lo->addresses.end());
}

TEST_CASE("live: this test's pid is among the processes, busy while it burned CPU") {
    const auto& s = busySnapshot();
    REQUIRE(s.processes.ok());
    auto self = std::find_if(s.processes->begin(), s.processes->end(),
                             [](const ProcessUsage& p) { return p.pid == static_cast<std::uint32_t>(getpid()); });
    REQUIRE(self != s.processes->end());
    CHECK(self->name == std::string("test_linux_system_snapshot").substr(0, 15));  // comm is 15 bytes
    CHECK(self->cpuPercent > 1.0);
    CHECK(self->memoryBytes > 1024 * 1024);
    // And it ranks among the top 15 the report keeps, ahead of idle processes.
    std::size_t busier = 0;
    for (const auto& p : *s.processes) busier += p.cpuPercent > self->cpuPercent;
    CHECK(busier < diagnostics::kMaxProcesses);
}

TEST_CASE("live: recent errors are a list, or a reason, never a made-up entry; the report is valid JSON") {
    const auto& s = busySnapshot();
    if (s.recentErrors.ok()) {
        CHECK(s.recentErrors->size() <= 50);
        for (std::size_t i = 1; i < s.recentErrors->size(); ++i)
            CHECK((*s.recentErrors)[i - 1].time >= (*s.recentErrors)[i].time);
    } else {
        CHECK(s.recentErrors.error().reason.find("system log") != std::string::npos);
    }
    REQUIRE(s.pendingReboot.ok());
    CHECK(s.pendingReboot->pending == (access("/var/run/reboot-required", F_OK) == 0));
    const std::string text = diagnostics::buildReport(s, {"test"});
    CHECK(text.size() <= 262144);
    auto r = nlohmann::json::parse(text, nullptr, false);
    REQUIRE_FALSE(r.is_discarded());
    CHECK(r["schema"] == 1);
    CHECK(r["sectionErrors"].contains("recentErrors") == !s.recentErrors.ok());
}

TEST_CASE("parsers: meminfo, /proc/stat and a process stat line") {
    const auto mem = linux_text::parseMeminfo("MemTotal:       8049020 kB\nMemAvailable:   123 kB\nHugePages_Total:       0\n");
    CHECK(mem.at("MemTotal") == 8049020ull * 1024);
    CHECK(mem.at("MemAvailable") == 123ull * 1024);
    CHECK(mem.at("HugePages_Total") == 0);
    const auto a = linux_text::parseCpuTimes("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n");
    const auto b = linux_text::parseCpuTimes("cpu  150 0 150 750 100 0 0 0 0 0\n");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->total == 1000);
    CHECK(a->idle == 800);
    CHECK(linux_text::cpuUsagePercent(*a, *b) == doctest::Approx(100.0 * 100 / 150));
    CHECK_FALSE(linux_text::parseCpuTimes("intr 1 2 3\n"));
    // A name holding ") " and spaces: the last ')' ends it.
    const auto p = linux_text::parseProcessStat(
        "77 (evil) (x y) S 1 77 77 0 -1 4194304 100 0 0 0 25 17 0 0 20 0 1 0 555 1000000 321 18446744073709551615 0 0");
    REQUIRE(p);
    CHECK(p->name == "evil) (x y");
    CHECK(p->ticks == 42);
    CHECK(p->residentPages == 321);
    CHECK_FALSE(linux_text::parseProcessStat("77 (short) S 1 2"));
}

TEST_CASE("parsers: mounts, file system kinds, routes, resolv.conf, os-release, cpuinfo") {
    const auto mounts = linux_text::parseMounts("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /media/my\\040disk vfat rw 0 0\nproc /proc proc rw 0 0\n");
    REQUIRE(mounts.size() == 3);
    CHECK(mounts[1].mountPoint == "/media/my disk");
    CHECK(linux_text::isLocalDiskFileSystem("ext4"));
    CHECK(linux_text::isLocalDiskFileSystem("overlay"));
    CHECK_FALSE(linux_text::isLocalDiskFileSystem("proc"));
    CHECK_FALSE(linux_text::isLocalDiskFileSystem("tmpfs"));
    CHECK_FALSE(linux_text::isLocalDiskFileSystem("nfs4"));
    const char* route =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
        "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
    CHECK(linux_text::parseIpv4DefaultGateways(route) == std::vector<std::string>{"192.168.1.1"});
    const char* route6 =
        "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 "
        "00000400 00000001 00000000 00000003 eth0\n"
        "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 "
        "00000100 00000001 00000000 00000001 eth0\n";
    CHECK(linux_text::parseIpv6DefaultGateways(route6) == std::vector<std::string>{"fe80::1%eth0"});
    CHECK(linux_text::parseNameservers("# c\nnameserver 1.1.1.1\nsearch lan\nnameserver  ::1\n") ==
          std::vector<std::string>{"1.1.1.1", "::1"});
    CHECK(linux_text::parseOsPrettyName("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n") ==
          "Debian GNU/Linux 12 (bookworm)");
    CHECK(linux_text::parseOsPrettyName("NAME=Alpine\nVERSION='3.19'\n") == "Alpine 3.19");
    CHECK(linux_text::parseCpuModel("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13");
    CHECK(linux_text::parseCpuModel("Hardware\t: BCM2835\n") == "BCM2835");
}

TEST_CASE("the syslog fallback: error lines, newest first, both time stamp forms") {
    const std::string text =
        "2026-12-03T20:00:00.123456+01:00 host kernel: [ 1.0] EXT4-fs error (device sda1)\n"
        "2026-12-03T20:00:01+00:00 host CRON[123]: (root) CMD (run-parts)\n"
        "2026-12-03T20:00:02Z host sshd[9]: fatal: Failed to bind\n"
        "Dec  3 21:00:03 host systemd[1]: foo.service: Failed with result 'exit-code'.\n"
        "garbage line\n";
    const auto errors = linux_log::syslogErrors(text, 50, 2026);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].source == "systemd");
    CHECK(errors[0].message == "foo.service: Failed with result 'exit-code'.");
    CHECK(errors[1].source == "sshd");
    CHECK(diagnostics::isoUtc(errors[1].time) == "2026-12-03T20:00:02Z");
    CHECK(errors[2].source == "kernel");
    CHECK(diagnostics::isoUtc(errors[2].time) == "2026-12-03T19:00:00Z");  // +01:00
    CHECK(linux_log::syslogErrors(text, 1, 2026).size() == 1);
}
