// The reporting thread: wait for a Welcome or the next check, collect outside the lock,
// compare with what was last sent, send.
#include "core/inventory_reporter.h"

#include <exception>

namespace guru {

InventoryReporter::InventoryReporter(EnvelopeSender& sender, InventoryCollector collect,
                                     inventory::MetadataSource metadata,
                                     std::string agentVersion, LogSink log)
    : sender_(sender), collect_(std::move(collect)), metadata_(std::move(metadata)),
      agentVersion_(std::move(agentVersion)), log_(std::move(log)) {}

InventoryReporter::~InventoryReporter() { stop(); }

void InventoryReporter::log(const std::string& line) const {
    if (log_) log_(line);
}

void InventoryReporter::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { loop(); });
}

void InventoryReporter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void InventoryReporter::connectionUp(std::chrono::seconds interval) {
    {
        std::lock_guard lock(mutex_);
        connected_ = true;
        reportDue_ = true;
        interval_ = std::max(interval, std::chrono::seconds(1));
    }
    wake_.notify_all();
}

void InventoryReporter::connectionDown() {
    std::lock_guard lock(mutex_);
    connected_ = false;
    reportDue_ = false;
}

std::uint32_t InventoryReporter::reportsSent() const {
    std::lock_guard lock(mutex_);
    return sent_;
}

void InventoryReporter::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (!connected_) {
            wake_.wait(lock, [this] { return stopping_ || connected_; });
            continue;
        }
        if (!reportDue_ && std::chrono::steady_clock::now() < nextCheck_) {
            wake_.wait_until(lock, nextCheck_, [this] { return stopping_ || reportDue_ || !connected_; });
            continue;
        }
        const bool always = reportDue_;
        reportDue_ = false;
        lock.unlock();
        // Nothing may leave the thread: a failed collection is logged and tried again later.
        try {
            collectAndMaybeSend(always);
        } catch (const std::exception& e) {
            log(std::string("inventory: collection failed: ") + e.what());
        }
        lock.lock();
        nextCheck_ = std::chrono::steady_clock::now() + interval_;
    }
}

void InventoryReporter::collectAndMaybeSend(bool always) {
    inventory::Inventory now = collect_ ? collect_() : inventory::Inventory{};
    now.agentVersion = agentVersion_;
    if (metadata_) {
        if (auto read = metadata_()) lastMetadata_ = std::move(*read);  // unreadable now: the last one (the source logs why)
    }
    now.metadata = lastMetadata_;
    if (!always && lastSent_ && !inventory::changedMeaningfully(*lastSent_, now)) return;
    std::string json = inventory::toJson(now);
    const std::size_t bytes = json.size();
    if (!sender_.send(envelope::AgentInventory{std::move(json)})) {
        log("inventory: not sent, not connected");
        return;
    }
    lastSent_ = std::move(now);
    {
        std::lock_guard lock(mutex_);
        ++sent_;
    }
    log(std::string("inventory: sent (") + std::to_string(bytes) + " bytes, " + (always ? "after Welcome" : "changed") + ")");
}

}  // namespace guru
