// Diagnostics collections off the session's threads (docs/protocol.md §4): at most one runs at
// a time, and every request that arrives while it runs is answered with its report.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace guru {

/// Gathers one report: its JSON, given the wall-clock deadline it must finish by.
using DiagnosticsCollector = std::function<std::string(std::chrono::steady_clock::time_point deadline)>;

/// Longest a collection may take (the protocol's bound).
inline constexpr std::chrono::seconds kDiagnosticsTimeLimit{10};

/// Runs collections on one owned worker thread and hands each waiting request the result.
class DiagnosticsRunner {
public:
    /// Called on the worker with the report's JSON, once per request.
    using Answer = std::function<void(const std::shared_ptr<const std::string>& json)>;

    explicit DiagnosticsRunner(DiagnosticsCollector collect) : collect_(std::move(collect)) {}
    ~DiagnosticsRunner() { wait(); }
    DiagnosticsRunner(const DiagnosticsRunner&) = delete;
    DiagnosticsRunner& operator=(const DiagnosticsRunner&) = delete;

    /// Queues `answer` for the running collection, or starts one. Never blocks on a collection.
    void request(Answer answer);
    /// Waits for the running collection (if any) and its answers; requests later start anew.
    void wait();

private:
    void run();

    DiagnosticsCollector collect_;
    std::mutex mutex_;
    std::vector<Answer> waiting_;  // guarded by mutex_
    bool running_ = false;         // guarded by mutex_
    std::thread worker_;           // guarded by mutex_; finished once !running_
};

}  // namespace guru
