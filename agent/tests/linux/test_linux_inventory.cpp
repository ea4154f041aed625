// The Linux inventory collector on a fixture tree (tests/fixtures/inventory/linux, copied to a
// temporary root with a utmp written here), field by field as the JSON carries it; then on
// this machine, where only what any Linux has is checked.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmp.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "platform/inventory.h"
#include "platform/linux/linux_inventory.h"
#include "platform/linux/proc_text.h"

using namespace guru;
using namespace guru::platform;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kNow = 1702000000;

utmp entry(short type, pid_t pid, const char* user, const char* line, const char* host, std::int32_t loginAt) {
    utmp u{};
    u.ut_type = type;
    u.ut_pid = pid;
    std::strncpy(u.ut_user, user, sizeof u.ut_user);
    std::strncpy(u.ut_line, line, sizeof u.ut_line);
    std::strncpy(u.ut_host, host, sizeof u.ut_host);
    u.ut_tv.tv_sec = loginAt;
    return u;
}

// A temporary copy of the fixture tree with run/utmp; removed at the end of the test.
struct FixtureRoot {
    fs::path path;
    explicit FixtureRoot(const std::vector<utmp>& logins) {
        path = fs::temp_directory_path() / ("guru-inventory-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::copy(fs::path(GURU_FIXTURES_DIR) / "inventory/linux", path, fs::copy_options::recursive);
        fs::create_directories(path / "run");
        std::ofstream out(path / "run/utmp", std::ios::binary);
        for (const auto& u : logins) out.write(reinterpret_cast<const char*>(&u), sizeof u);
        // The terminal was last typed on 90 s before "now".
        const timespec times[2] = {{kNow - 90, 0}, {kNow - 90, 0}};
        REQUIRE(::utimensat(AT_FDCWD, (path / "dev/pts/0").c_str(), times, 0) == 0);
    }
    ~FixtureRoot() { fs::remove_all(path); }
};

struct FakeHooks {
    std::vector<std::string> asked;  // the mount points whose usage was asked for
};

linux_inventory::Sources fixtureSources(const FixtureRoot& root, FakeHooks& hooks) {
    linux_inventory::Sources s;
    s.root = root.path.string();
    s.adapters = [] {
        return std::vector<inventory::NetworkAdapter>{
            {"lo", "", {"127.0.0.1/8", "::1/128"}},
            {"eth0", "", {"192.168.1.45/24", "fe80::1/64"}},  // MAC from sys/class/net
            {"wlan0", "", {}},
            {"tun0", "", {"10.8.0.2/24"}},  // no MAC anywhere
        };
    };
    s.diskUsage = [&hooks](const std::string& mount) -> std::optional<linux_inventory::DiskUsage> {
        hooks.asked.push_back(mount);
        if (mount == "/") return linux_inventory::DiskUsage{1, 500000000000ull, 100000000000ull};
        if (mount == "/var/lib/docker/bind") return linux_inventory::DiskUsage{1, 500000000000ull, 100000000000ull};
        if (mount == "/boot/efi") return linux_inventory::DiskUsage{2, 536870912ull, 500000000ull};
        if (mount == "/mnt/My Backup") return linux_inventory::DiskUsage{3, 2000000000000ull, 1500000000000ull};
        return std::nullopt;
    };
    s.displayIdleSeconds = [] { return std::optional<std::uint64_t>{}; };
    s.now = [] { return kNow; };
    return s;
}

}  // namespace

TEST_CASE("fixture machine: every field, as the JSON reports it") {
    FixtureRoot root({
        entry(LOGIN_PROCESS, 900, "LOGIN", "tty1", "", 1701000100),
        entry(USER_PROCESS, 999, "ghost", ":0", ":0", 1701900000),  // stale: pid 999 is gone
        entry(USER_PROCESS, 4242, "jsmith", "pts/0", "", 1701000200),
        entry(DEAD_PROCESS, 4243, "", "pts/1", "", 1701000300),
    });
    FakeHooks hooks;
    const auto inv = linux_inventory::collect(fixtureSources(root, hooks));
    const auto j = nlohmann::json::parse(inventory::toJson(inv));

    CHECK(j["hostname"] == "pc-front01");
    CHECK(j["os"]["name"] == "Debian GNU/Linux 12 (bookworm)");
    CHECK(j["os"]["version"] == "12");
    CHECK(j["os"]["build"] == "6.1.0-18-amd64");
    REQUIRE(j["os"].contains("installDate"));  // etc/machine-id's birth: when the copy was made
    CHECK(j["os"]["installDate"].get<std::int64_t>() > 1600000000);
    CHECK(j["hardware"] == nlohmann::json{{"manufacturer", "Dell Inc."}, {"model", "OptiPlex 7090"},
                                          {"serial", "8XKJF93"}, {"serviceTag", "8XKJF93"}});
    CHECK(j["cpu"] == nlohmann::json{{"model", "Intel(R) Core(TM) i7-11700 @ 2.50GHz"}, {"cores", 4}, {"threads", 8}});
    CHECK(j["memory"] == nlohmann::json{{"totalBytes", 16303412ull * 1024}, {"availableBytes", 9876543ull * 1024}});
    // Local file systems once each (the bind mount of / is not a disk of its own); no nfs, cifs, tmpfs.
    CHECK(j["disks"] == nlohmann::json::array({
                            {{"mount", "/"}, {"totalBytes", 500000000000ull}, {"freeBytes", 100000000000ull}},
                            {{"mount", "/boot/efi"}, {"totalBytes", 536870912ull}, {"freeBytes", 500000000ull}},
                            {{"mount", "/mnt/My Backup"}, {"totalBytes", 2000000000000ull}, {"freeBytes", 1500000000000ull}},
                        }));
    const std::set<std::string> asked(hooks.asked.begin(), hooks.asked.end());
    CHECK(asked.count("/mnt/nfs") == 0);  // a dead file server would block the collection
    CHECK(asked.count("/mnt/cifs") == 0);
    CHECK(asked.count("/run") == 0);
    CHECK(j["network"] == nlohmann::json::array({
                              {{"name", "eth0"}, {"mac", "00:11:22:33:44:55"}, {"addresses", {"192.168.1.45/24", "fe80::1/64"}}},
                              {{"name", "wlan0"}, {"mac", "a4:b1:c2:d3:e4:f5"}, {"addresses", nlohmann::json::array()}},
                              {{"name", "tun0"}, {"addresses", {"10.8.0.2/24"}}},
                          }));
    CHECK(j["user"] == nlohmann::json{{"name", "jsmith"}, {"idleSeconds", 90}});
    CHECK(j["bootTime"] == 1701000000);
}

TEST_CASE("fixture machine: the graphical seat's live user comes first, with the display's idle time") {
    FixtureRoot root({
        entry(USER_PROCESS, 4242, "admin", "pts/0", "", 1701000900),
        entry(USER_PROCESS, 1, "desk", ":0", ":0", 1701000100),  // pid 1: root/proc/1 does not exist...
    });
    fs::create_directories(root.path / "proc/1");  // ...until now
    FakeHooks hooks;
    auto sources = fixtureSources(root, hooks);
    sources.displayIdleSeconds = [] { return std::optional<std::uint64_t>{7}; };
    const auto inv = linux_inventory::collect(sources);
    REQUIRE(inv.user);
    CHECK(inv.user->name == "desk");
    CHECK(inv.user->idleSeconds == 7u);
}

TEST_CASE("fixture machine: no utmp, no DMI, no os-release: those parts are left out, not made up") {
    FixtureRoot root({});
    fs::remove(root.path / "run/utmp");
    fs::remove_all(root.path / "sys/class/dmi");
    fs::remove(root.path / "etc/os-release");
    fs::remove(root.path / "proc/sys/kernel/osrelease");
    FakeHooks hooks;
    const auto j = nlohmann::json::parse(inventory::toJson(linux_inventory::collect(fixtureSources(root, hooks))));
    CHECK_FALSE(j.contains("user"));
    CHECK_FALSE(j.contains("hardware"));
    CHECK_FALSE(j.contains("os"));
    CHECK(j["hostname"] == "pc-front01");
}

TEST_CASE("cpuinfo counts: two packages, and a kernel that names no cores") {
    std::string two;
    for (int i = 0; i < 4; ++i)
        two += "processor : " + std::to_string(i) + "\nphysical id : " + std::to_string(i / 2) + "\ncpu cores : 2\n\n";
    const auto counts = linux_text::parseCpuCounts(two);
    CHECK(counts.threads == 4);
    CHECK(counts.cores == 4);
    const auto arm = linux_text::parseCpuCounts("processor : 0\nBogoMIPS : 108\n\nprocessor : 1\nBogoMIPS : 108\n");
    CHECK(arm.threads == 2);
    CHECK(arm.cores == 2);
    CHECK(linux_text::parseBootTime("cpu 1 2 3\nbtime 1701000000\n") == 1701000000);
    CHECK_FALSE(linux_text::parseBootTime("cpu 1 2 3\n").has_value());
}

TEST_CASE("this machine: a hostname, memory, a processor and a boot time in the past") {
    const auto inv = collectInventory();
    char host[256] = "";
    REQUIRE(::gethostname(host, sizeof host - 1) == 0);
    CHECK(inv.hostname == host);
    REQUIRE(inv.memory);
    CHECK(inv.memory->totalBytes > 0);
    REQUIRE(inv.cpu);
    CHECK(inv.cpu->threads.value_or(0) >= 1);
    REQUIRE(inv.bootTime);
    CHECK(*inv.bootTime < ::time(nullptr));
    REQUIRE(inv.os);
    CHECK_FALSE(inv.os->build.empty());
    for (const auto& a : inv.network) CHECK(a.name != "lo");
    CHECK(inventory::toJson(inv).size() <= inventory::kMaxJsonBytes);
}
