// An enrolled agent's AgentInventory reports (docs/protocol.md §2.6): one after every
// Welcome, then a fresh collection every heartbeat interval, sent only when it changed
// (inventory::changedMeaningfully). Collection runs on the reporter's own thread, joined by
// stop(), so a slow OS call never holds up the connection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/connection_manager.h"
#include "core/inventory.h"
#include "core/log.h"

namespace guru {

/// Collects the machine's inventory (platform::collectInventory in the agent).
using InventoryCollector = std::function<inventory::Inventory()>;

/// Sends the inventory over `sender` while a connection is up.
class InventoryReporter final {
public:
    /// `metadata` is read for every collection (empty: no metadata block); when it answers
    /// nothing, the last metadata it gave stays in the reports.
    InventoryReporter(EnvelopeSender& sender, InventoryCollector collect, inventory::MetadataSource metadata,
                      std::string agentVersion, LogSink log);
    ~InventoryReporter();
    InventoryReporter(const InventoryReporter&) = delete;
    InventoryReporter& operator=(const InventoryReporter&) = delete;

    /// Starts the reporting thread (idle until connectionUp).
    void start();
    /// Joins the thread. Idempotent.
    void stop();

    /// Welcome received: report now, then check every `interval`.
    void connectionUp(std::chrono::seconds interval);
    /// The link dropped: nothing is collected until the next connectionUp.
    void connectionDown();

    /// Reports handed to the sender so far (tests and logs).
    std::uint32_t reportsSent() const;

private:
    void loop();
    void collectAndMaybeSend(bool always);
    void log(const std::string& line) const;

    EnvelopeSender& sender_;
    InventoryCollector collect_;
    inventory::MetadataSource metadata_;
    std::string agentVersion_;
    LogSink log_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;                               // guarded by mutex_
    bool connected_ = false;                              // guarded by mutex_
    bool reportDue_ = false;                              // guarded by mutex_: a Welcome wants one
    std::chrono::seconds interval_{60};                   // guarded by mutex_
    std::chrono::steady_clock::time_point nextCheck_{};   // guarded by mutex_
    std::uint32_t sent_ = 0;                              // guarded by mutex_
    std::optional<inventory::Inventory> lastSent_;        // the reporting thread's alone
    inventory::MachineMetadata lastMetadata_;              // the reporting thread's alone
    std::thread thread_;
};

}  // namespace guru
