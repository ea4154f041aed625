// One worker per collection; a finished worker is joined by the next request or by wait().
#include "core/diagnostics_runner.h"

namespace guru {

void DiagnosticsRunner::request(Answer answer) {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(answer));
    if (running_) return;
    // The previous worker has handed out its answers and is returning (running_ is false).
    if (worker_.joinable()) worker_.join();
    running_ = true;
    worker_ = std::thread([this] { run(); });
}

void DiagnosticsRunner::wait() {
    std::thread finished;
    {
        std::lock_guard lock(mutex_);
        finished = std::move(worker_);
    }
    if (finished.joinable()) finished.join();
}

void DiagnosticsRunner::run() {
    std::shared_ptr<const std::string> json;
    try {
        json = std::make_shared<const std::string>(collect_(std::chrono::steady_clock::now() + kDiagnosticsTimeLimit));
    } catch (...) {
        // No exception may leave the thread; the viewers still get an answer, and valid JSON.
        json = std::make_shared<const std::string>(
            "{\"schema\":1,\"sectionErrors\":{\"report\":\"the collection failed\"}}");
    }
    std::lock_guard lock(mutex_);
    for (auto& answer : waiting_) answer(json);
    waiting_.clear();
    running_ = false;
}

}  // namespace guru
