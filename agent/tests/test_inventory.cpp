// The AgentInventory JSON field by field (docs/protocol.md §2.6), its escaping and limits,
// and the change rule that decides whether a re-collection is sent.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/envelope.h"
#include "core/inventory.h"

using namespace guru::inventory;
using nlohmann::json;

namespace {

// The contract's example machine (FLEET-CONTRACT.md).
Inventory frontDesk() {
    Inventory inv;
    inv.hostname = "PC-FRONT01";
    inv.os = OsInfo{"Windows 11 Pro", "10.0.22631", "22631", 1700000000};
    inv.hardware = Hardware{"Dell Inc.", "OptiPlex 7090", "8XKJF93", "8XKJF93"};
    inv.cpu = Cpu{"Intel(R) Core(TM) i7-11700", 8, 16};
    inv.memory = Memory{17179869184ull, 8000000000ull};
    inv.disks = {{"C:\\", 512000000000ull, 100000000000ull}};
    inv.network = {{"eth0", "00:11:22:33:44:55", {"192.168.1.45/24", "fe80::1/64"}}};
    inv.user = User{"jsmith", 42};
    inv.bootTime = 1701000000;
    inv.agentVersion = "0.9.0";
    inv.metadata = {"", "Glaztech", "Phoenix Office", "IT", "workstation", "Laptop", {{"Asset", "A-17"}}};
    return inv;
}

}  // namespace

TEST_CASE("the contract's example, field by field and in the contract's order") {
    const std::string text = toJson(frontDesk());
    const json j = json::parse(text);
    CHECK(j["hostname"] == "PC-FRONT01");
    CHECK(j["os"] == json{{"name", "Windows 11 Pro"}, {"version", "10.0.22631"}, {"build", "22631"}, {"installDate", 1700000000}});
    CHECK(j["hardware"] == json{{"manufacturer", "Dell Inc."}, {"model", "OptiPlex 7090"}, {"serial", "8XKJF93"}, {"serviceTag", "8XKJF93"}});
    CHECK(j["cpu"] == json{{"model", "Intel(R) Core(TM) i7-11700"}, {"cores", 8}, {"threads", 16}});
    CHECK(j["memory"] == json{{"totalBytes", 17179869184ull}, {"availableBytes", 8000000000ull}});
    CHECK(j["disks"] == json::array({{{"mount", "C:\\"}, {"totalBytes", 512000000000ull}, {"freeBytes", 100000000000ull}}}));
    CHECK(j["network"] == json::array({{{"name", "eth0"}, {"mac", "00:11:22:33:44:55"},
                                        {"addresses", {"192.168.1.45/24", "fe80::1/64"}}}}));
    CHECK(j["user"] == json{{"name", "jsmith"}, {"idleSeconds", 42}});
    CHECK(j["bootTime"] == 1701000000);
    CHECK(j["agentVersion"] == "0.9.0");
    // name "" (use the hostname) is not set, so not sent: the server keeps what it has.
    CHECK(j["metadata"] == json{{"company", "Glaztech"}, {"site", "Phoenix Office"}, {"department", "IT"},
                                {"deviceType", "workstation"}, {"tag", "Laptop"}, {"properties", {{"Asset", "A-17"}}}});
    CHECK(j.size() == 11);
    // Keys in the contract's order, so a human reading the stored JSON finds them where the docs have them.
    CHECK(text.rfind("{\"hostname\":\"PC-FRONT01\",\"os\":{\"name\"", 0) == 0);
    CHECK(text.find("\"bootTime\"") < text.find("\"agentVersion\""));
    CHECK(text.size() <= guru::envelope::kMaxInventoryJson);
}

TEST_CASE("what the OS did not tell is left out; only the hostname is always there") {
    Inventory bare;
    bare.hostname = "box";
    CHECK(toJson(bare) == R"({"hostname":"box"})");
    bare.memory = Memory{1024, std::nullopt};
    bare.cpu = Cpu{"", std::nullopt, std::nullopt};
    CHECK(toJson(bare) == R"({"hostname":"box","cpu":{},"memory":{"totalBytes":1024}})");
}

TEST_CASE("strings are escaped, made valid UTF-8 and cut to 255 bytes at a character boundary") {
    Inventory inv;
    inv.hostname = "quote\" backslash\\ newline\n tab\t bell\x07";
    inv.user = User{"bad\xff\xfe" "byte", std::nullopt};
    inv.os = OsInfo{std::string(300, 'a'), "", "", std::nullopt};
    inv.hardware = Hardware{std::string(254, 'x') + "\xc3\xa9", "", "", ""};  // é would end at byte 256
    const std::string text = toJson(inv);
    const json j = json::parse(text);  // throws if the escaping were wrong
    CHECK(j["hostname"] == "quote\" backslash\\ newline\n tab\t bell\x07");
    CHECK(text.find("\\u0007") != std::string::npos);
    CHECK(j["user"]["name"] == "bad\xEF\xBF\xBD\xEF\xBF\xBD" "byte");
    CHECK(j["os"]["name"].get<std::string>() == std::string(255, 'a'));
    CHECK(j["hardware"]["manufacturer"].get<std::string>() == std::string(254, 'x'));
    CHECK(boundedText("\xe2\x82\xac\xe2\x82\xac", 5) == "\xe2\x82\xac");  // never half a €
}

TEST_CASE("lists hold at most 64 entries, and an unknown device type is not reported") {
    Inventory inv;
    inv.hostname = "h";
    for (int i = 0; i < 70; ++i) inv.disks.push_back({"/d" + std::to_string(i), 10, 5});
    inv.network.push_back({"eth0", "", {}});
    for (int i = 0; i < 70; ++i) inv.network[0].addresses.push_back("10.0.0." + std::to_string(i) + "/24");
    for (int i = 0; i < 70; ++i) inv.metadata.properties.emplace_back("p" + std::to_string(100 + i), "v");
    inv.metadata.deviceType = "toaster";
    const json j = json::parse(toJson(inv));
    CHECK(j["disks"].size() == 64);
    CHECK(j["disks"][63]["mount"] == "/d63");
    CHECK(j["network"][0]["addresses"].size() == 64);
    CHECK_FALSE(j["network"][0].contains("mac"));
    CHECK(j["metadata"]["properties"].size() == 64);
    CHECK_FALSE(j["metadata"].contains("deviceType"));
}

TEST_CASE("a huge machine is trimmed to 65,536 bytes: adapters first, then disks, then properties") {
    Inventory inv = frontDesk();
    inv.network.clear();
    for (int a = 0; a < 64; ++a) {
        NetworkAdapter adapter{"veth" + std::string(200, 'n') + std::to_string(a), "02:00:00:00:00:01", {}};
        for (int i = 0; i < 64; ++i) adapter.addresses.push_back("fd00:1234:5678:9abc:def0:1234:5678:" + std::to_string(i) + "/64");
        inv.network.push_back(std::move(adapter));
    }
    const std::string text = toJson(inv);
    CHECK(text.size() <= kMaxJsonBytes);
    CHECK(text.size() > kMaxJsonBytes - 4096);  // trimmed one adapter at a time, not halved
    const json j = json::parse(text);
    CHECK(j["network"].size() < 64);
    CHECK(j["network"].size() > 10);
    CHECK(j["disks"].size() == 1);  // untouched: the adapters were enough
    CHECK(j["metadata"]["properties"]["Asset"] == "A-17");
}

TEST_CASE("no metadata block for an agent without metadata; in a set one only the fields that are set") {
    Inventory inv;
    inv.hostname = "h";
    CHECK_FALSE(json::parse(toJson(inv)).contains("metadata"));
    inv.metadata.site = "Phoenix";
    inv.metadata.name = "Front desk";
    CHECK(json::parse(toJson(inv))["metadata"] == json{{"name", "Front desk"}, {"site", "Phoenix"}});
    // Property names the server refuses (empty, over 64 bytes) are left out, the rest kept.
    inv.metadata.properties = {{"", "x"}, {std::string(65, 'k'), "y"}, {std::string(64, 'k'), "z"}};
    CHECK(json::parse(toJson(inv))["metadata"]["properties"] == json{{std::string(64, 'k'), "z"}});
}

TEST_CASE("change rule: the noise of a running machine is not a change") {
    const Inventory sent = frontDesk();
    Inventory now = sent;
    CHECK_FALSE(changedMeaningfully(sent, now));

    now.memory->availableBytes = *sent.memory->availableBytes + sent.memory->totalBytes / 20;  // 5 %
    CHECK_FALSE(changedMeaningfully(sent, now));
    now.memory->availableBytes = *sent.memory->availableBytes - sent.memory->totalBytes / 5;  // 20 %
    CHECK(changedMeaningfully(sent, now));

    now = sent;
    now.disks[0].freeBytes -= 1000000000;  // 1 GB of 512: 0.2 %
    CHECK_FALSE(changedMeaningfully(sent, now));
    now.disks[0].freeBytes = sent.disks[0].freeBytes - 60000000000ull;  // 60 GB: 11.7 %
    CHECK(changedMeaningfully(sent, now));

    now = sent;
    *now.bootTime += 1;  // Windows: now minus the uptime
    CHECK_FALSE(changedMeaningfully(sent, now));
    *now.bootTime += 3600;  // rebooted
    CHECK(changedMeaningfully(sent, now));
}

TEST_CASE("change rule: idle time counts when the user goes idle or comes back, not as it grows") {
    Inventory sent = frontDesk();  // idle 42 s: active
    Inventory now = sent;
    now.user->idleSeconds = 5;
    CHECK_FALSE(changedMeaningfully(sent, now));  // still active
    now.user->idleSeconds = 400;
    CHECK(changedMeaningfully(sent, now));  // went idle

    sent.user->idleSeconds = 400;
    now.user->idleSeconds = 4000;
    CHECK_FALSE(changedMeaningfully(sent, now));  // still idle, longer
    now.user->idleSeconds = 10;
    CHECK(changedMeaningfully(sent, now));  // came back
    now.user->idleSeconds = 350;
    CHECK(changedMeaningfully(sent, now));  // idle again, but was active in between

    now = sent;
    now.user->name = "other";
    CHECK(changedMeaningfully(sent, now));
    now = sent;
    now.user.reset();  // logged off
    CHECK(changedMeaningfully(sent, now));
}

TEST_CASE("change rule: everything else is compared exactly") {
    const Inventory sent = frontDesk();
    auto changed = [&sent](auto edit) {
        Inventory now = sent;
        edit(now);
        return changedMeaningfully(sent, now);
    };
    CHECK(changed([](Inventory& i) { i.hostname = "PC-FRONT02"; }));
    CHECK(changed([](Inventory& i) { i.network[0].addresses.push_back("10.0.0.2/8"); }));
    CHECK(changed([](Inventory& i) { i.network[0].mac = "00:11:22:33:44:56"; }));
    CHECK(changed([](Inventory& i) { i.os->build = "22632"; }));
    CHECK(changed([](Inventory& i) { i.metadata.site = "New York Office"; }));
    CHECK(changed([](Inventory& i) { i.metadata.properties[0].second = "A-18"; }));
    CHECK(changed([](Inventory& i) { i.disks.push_back({"D:\\", 1, 1}); }));
    CHECK(changed([](Inventory& i) { i.memory->totalBytes *= 2; }));
    CHECK(changed([](Inventory& i) { i.agentVersion = "0.9.1"; }));
}
