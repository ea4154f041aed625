// The reporter against a fake sender and collector: one report per Welcome, then only on a
// change, metadata read every time, nothing while down; the unattended listener's routing and
// its Wake-on-LAN answer.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/inventory_reporter.h"
#include "core/unattended_listener.h"
#include "core/wake_on_lan.h"

using namespace guru;
using namespace std::chrono_literals;

namespace {

inventory::Inventory named(const char* hostname) {
    inventory::Inventory inv;
    inv.hostname = hostname;
    return inv;
}

// Records every AgentInventory; `connected` decides what send() answers.
class RecordingSender final : public EnvelopeSender {
public:
    bool send(const envelope::Message& m) override {
        std::lock_guard lock(mutex_);
        if (!connected) return false;
        if (auto* inv = std::get_if<envelope::AgentInventory>(&m)) reports_.push_back(nlohmann::json::parse(inv->json));
        cv_.notify_all();
        return true;
    }
    std::vector<nlohmann::json> waitFor(std::size_t count, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [&] { return reports_.size() >= count; });
        return reports_;
    }
    std::atomic<bool> connected{true};

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<nlohmann::json> reports_;
};

// A machine whose state the test moves; counts and awaits its collections.
class FakeMachine {
public:
    inventory::Inventory collect() {
        std::lock_guard lock(mutex_);
        ++collections_;
        cv_.notify_all();
        return state_;
    }
    void set(const std::function<void(inventory::Inventory&)>& edit) {
        std::lock_guard lock(mutex_);
        edit(state_);
    }
    // Waits until `count` collections happened; true if they did.
    bool waitForCollections(int count) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, 10s, [&] { return collections_ >= count; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    inventory::Inventory state_ = named("box");
    int collections_ = 0;
};

struct NullSession final : ConnectionListener {
    void connectionUp(const envelope::Welcome& w) override { ups.push_back(w); }
    void envelopeReceived(envelope::Message m) override { received.push_back(std::move(m)); }
    void connectionDown() override { ++downs; }
    std::vector<envelope::Welcome> ups;
    std::vector<envelope::Message> received;
    int downs = 0;
};

}  // namespace

TEST_CASE("one report after each Welcome, then only when the inventory changed") {
    RecordingSender sender;
    FakeMachine machine;
    std::atomic<int> metadataReads{0};
    InventoryReporter reporter(sender, [&] { return machine.collect(); },
                               [&]() -> std::optional<inventory::MachineMetadata> {
                                   // Every third read fails (a config file being rewritten).
                                   if (++metadataReads % 3 == 0) return std::nullopt;
                                   inventory::MachineMetadata m;
                                   m.site = "Phoenix";
                                   return m;
                               },
                               "1.2.3", {});
    reporter.start();
    reporter.connectionUp(1s);
    auto reports = sender.waitFor(1);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0]["hostname"] == "box");
    CHECK(reports[0]["agentVersion"] == "1.2.3");
    CHECK(reports[0]["metadata"]["site"] == "Phoenix");

    // Unchanged re-collections send nothing.
    REQUIRE(machine.waitForCollections(3));
    CHECK(sender.waitFor(2, 0ms).size() == 1);
    CHECK(metadataReads >= 3);  // re-read every check-in: --reconfigure shows at the next one
    // ...and the failed read kept the last metadata: no report without it went out.

    machine.set([](inventory::Inventory& i) { i.hostname = "renamed"; });
    reports = sender.waitFor(2);
    REQUIRE(reports.size() == 2);
    CHECK(reports[1]["hostname"] == "renamed");

    // A reconnect reports again, changed or not.
    reporter.connectionDown();
    reporter.connectionUp(1s);
    reports = sender.waitFor(3);
    REQUIRE(reports.size() == 3);
    CHECK(reports[2]["hostname"] == "renamed");
    reporter.stop();
    CHECK(reporter.reportsSent() == 3);
}

TEST_CASE("nothing is collected while the link is down; a report that could not go is retried") {
    RecordingSender sender;
    FakeMachine machine;
    InventoryReporter reporter(sender, [&] { return machine.collect(); }, {}, "v", {});
    reporter.start();
    sender.connected = false;
    reporter.connectionUp(1s);
    // The second collection starts after the first one's failed send.
    REQUIRE(machine.waitForCollections(2));
    CHECK(reporter.reportsSent() == 0);
    // Not sent: still "never sent", so the next check sends although nothing changed.
    sender.connected = true;
    auto reports = sender.waitFor(1);
    REQUIRE(reports.size() == 1);
    CHECK_FALSE(reports[0].contains("metadata"));  // no metadata source: none reported
    reporter.connectionDown();
    machine.set([](inventory::Inventory& i) { i.hostname = "changed while down"; });
    CHECK_FALSE(sender.waitFor(2, 2500ms).size() == 2);
    reporter.stop();
}

TEST_CASE("a collection that throws is logged, and the reporter goes on") {
    RecordingSender sender;
    std::atomic<int> calls{0};
    std::mutex logMutex;
    std::vector<std::string> lines;
    InventoryReporter reporter(
        sender,
        [&]() -> inventory::Inventory {
            if (calls++ == 0) throw std::runtime_error("boom");
            return named("ok");
        },
        {}, "v", [&](const std::string& l) { std::lock_guard lock(logMutex); lines.push_back(l); });
    reporter.start();
    reporter.connectionUp(1s);
    auto reports = sender.waitFor(1);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0]["hostname"] == "ok");
    reporter.stop();
    std::lock_guard lock(logMutex);
    CHECK(std::find(lines.begin(), lines.end(), "inventory: collection failed: boom") != lines.end());
}

TEST_CASE("unattended listener: session events pass through, Welcome starts the reports, WakeOnLan broadcasts") {
    RecordingSender sender;
    FakeMachine machine;
    InventoryReporter reporter(sender, [&] { return machine.collect(); }, {}, "v", {});
    reporter.start();
    NullSession session;
    std::vector<std::string> lines;
    std::vector<std::pair<std::string, std::string>> datagrams;  // hex, destination
    UnattendedListener listener(
        session, reporter,
        [&](ByteView d, const std::array<std::byte, 4>& to, std::uint16_t port) -> Result<Unit, platform::SendError> {
            std::string hex;
            for (auto b : d) hex += "0123456789abcdef"[std::to_integer<int>(b) >> 4], hex += "0123456789abcdef"[std::to_integer<int>(b) & 15];
            datagrams.emplace_back(hex, wol::ipv4Text(to) + ":" + std::to_string(port));
            if (datagrams.size() == 2) return Failure{platform::SendError{"sendto: Network is unreachable"}};
            return Unit{};
        },
        [&](const std::string& l) { lines.push_back(l); });

    listener.connectionUp({7, 30});
    REQUIRE(session.ups.size() == 1);
    CHECK(session.ups[0].heartbeatSeconds == 30);
    CHECK(sender.waitFor(1).size() == 1);

    listener.envelopeReceived(envelope::ViewerLeft{3, 0});
    REQUIRE(session.received.size() == 1);
    CHECK(std::holds_alternative<envelope::ViewerLeft>(session.received[0]));

    envelope::WakeOnLan wake;
    wake.mac = {std::byte{0}, std::byte{0x11}, std::byte{0x22}, std::byte{0x33}, std::byte{0x44}, std::byte{0x55}};
    wake.broadcast = {std::byte{192}, std::byte{168}, std::byte{1}, std::byte{255}};
    listener.envelopeReceived(wake);
    listener.envelopeReceived(wake);
    CHECK(session.received.size() == 1);  // not the session's
    REQUIRE(datagrams.size() == 2);
    std::string expected = "ffffffffffff";
    for (int i = 0; i < 16; ++i) expected += "001122334455";
    CHECK(datagrams[0].first == expected);
    CHECK(datagrams[0].second == "192.168.1.255:9");
    CHECK(std::find(lines.begin(), lines.end(),
                    "wake-on-lan: magic packet for 00:11:22:33:44:55 to 192.168.1.255:9 sent") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(),
                    "wake-on-lan: magic packet for 00:11:22:33:44:55 to 192.168.1.255:9 failed: sendto: Network is "
                    "unreachable") != lines.end());

    listener.connectionDown();
    CHECK(session.downs == 1);
    reporter.stop();
}
