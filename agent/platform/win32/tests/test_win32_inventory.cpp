// The Windows inventory collector on the machine it runs on (real Windows, or Wine under
// agent/platform/win32/wine_test.sh): a plausible report, and its JSON within the protocol's
// limits. What Wine returns for each field: platform/win32/README.md.
#include <doctest/doctest.h>

#include <windows.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/envelope.h"
#include "platform/inventory.h"
#include "platform/wake_on_lan.h"

using namespace guru;

namespace {

const inventory::Inventory& collected() {
    static const inventory::Inventory inv = platform::collectInventory();
    return inv;
}

}  // namespace

TEST_CASE("hostname, OS and boot time as Windows reports them") {
    const auto& inv = collected();
    wchar_t name[256];
    DWORD size = 256;
    REQUIRE(GetComputerNameExW(ComputerNameDnsHostname, name, &size));
    CHECK_FALSE(inv.hostname.empty());
    CHECK(inv.hostname.size() == size);  // ASCII host names: one byte per character
    REQUIRE(inv.os);
    // "Windows 11 Pro" on Windows; Wine 8's default prefix says "Microsoft Windows 7", 6.1.7601.
    CHECK(inv.os->name.find("Windows") != std::string::npos);
    const auto dots = std::count(inv.os->version.begin(), inv.os->version.end(), '.');
    CHECK(dots == 2);
    REQUIRE_FALSE(inv.os->build.empty());
    CHECK(inv.os->version.substr(inv.os->version.rfind('.') + 1) == inv.os->build);
    REQUIRE(inv.bootTime);
    CHECK(*inv.bootTime > 1000000000);
    CHECK(*inv.bootTime <= static_cast<std::int64_t>(time(nullptr)));
    MESSAGE("os: " << inv.os->name << " " << inv.os->version << " build " << inv.os->build
                   << (inv.os->installDate ? " installed " + std::to_string(*inv.os->installDate) : std::string(" (no InstallDate)")));
}

TEST_CASE("memory, processor and the fixed drives") {
    const auto& inv = collected();
    REQUIRE(inv.memory);
    MEMORYSTATUSEX m{};
    m.dwLength = sizeof m;
    REQUIRE(GlobalMemoryStatusEx(&m));
    CHECK(inv.memory->totalBytes == m.ullTotalPhys);
    CHECK(inv.memory->totalBytes > 0);
    REQUIRE(inv.cpu);
    CHECK(inv.cpu->threads.value_or(0) >= 1);
    if (inv.cpu->cores) CHECK(*inv.cpu->cores <= *inv.cpu->threads);
    MESSAGE("cpu: " << inv.cpu->model << ", " << inv.cpu->cores.value_or(0) << " cores");
    const bool c = std::any_of(inv.disks.begin(), inv.disks.end(), [](const auto& d) {
        return d.mount == "C:\\" && d.totalBytes > 0 && d.freeBytes <= d.totalBytes;
    });
    CHECK(c);
}

TEST_CASE("at least one network adapter with an address, and no loopback") {
    const auto& inv = collected();
    REQUIRE_FALSE(inv.network.empty());
    bool addressed = false;
    for (const auto& a : inv.network) {
        CAPTURE(a.name);
        CHECK_FALSE(a.name.empty());
        for (const auto& address : a.addresses) {
            CHECK(address.find('/') != std::string::npos);  // with its prefix length
            CHECK(address.rfind("127.", 0) != 0);
        }
        addressed = addressed || !a.addresses.empty();
        if (!a.mac.empty()) CHECK(a.mac.size() == 17);
    }
    CHECK(addressed);
}

TEST_CASE("the console user and the hardware, where Windows (or Wine) tells them") {
    const auto& inv = collected();
    if (inv.user) {
        CHECK_FALSE(inv.user->name.empty());
        MESSAGE("user: " << inv.user->name << ", idle " << inv.user->idleSeconds.value_or(0) << " s");
    } else {
        MESSAGE("no console user reported");
    }
    if (inv.hardware) {
        MESSAGE("hardware: " << inv.hardware->manufacturer << " / " << inv.hardware->model << " / "
                             << inv.hardware->serial << " / " << inv.hardware->serviceTag);
    } else {
        MESSAGE("no SMBIOS hardware reported");
    }
}

TEST_CASE("the report's JSON is valid and fits AgentInventory") {
    const std::string json = inventory::toJson(collected());
    CHECK(json.size() >= envelope::kMinInventoryJson);
    CHECK(json.size() <= envelope::kMaxInventoryJson);
    const auto j = nlohmann::json::parse(json);
    CHECK(j["hostname"] == collected().hostname);
    CHECK(encodeFrame(envelope::AgentInventory{json}).ok());
}

TEST_CASE("the broadcast sender fails in words for an address Winsock refuses") {
    // 0.0.0.0 port 0 is refused by sendto (WSAEADDRNOTAVAIL): nothing leaves the machine.
    const std::array<std::byte, 4> none{};
    const std::byte payload[1] = {std::byte{0}};
    auto sent = platform::sendUdpBroadcast(ByteView(payload, 1), none, 0);
    if (!sent) {
        CHECK(sent.error().reason.find("failed (WSA error") != std::string::npos);
    } else {
        MESSAGE("this Winsock accepted a datagram to 0.0.0.0:0");
    }
}
