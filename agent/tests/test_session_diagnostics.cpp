// Diagnostics in the session loop (docs/protocol.md §4), with a fake collector: each request
// is answered once with its own requestId and sealed to the asking viewer only, requests
// while a collection runs share it, the screen keeps streaming meanwhile, and a viewer cannot
// pile up unanswered requests.
#include <doctest/doctest.h>

#include "tests/session_fakes.h"

using namespace guru;
using namespace guru::test;

namespace {

/// A collector the test holds until it opens the gate; counts its collections.
class GatedCollector {
public:
    DiagnosticsCollector collector() {
        return [this](std::chrono::steady_clock::time_point deadline) {
            std::unique_lock lock(mutex_);
            const int n = ++started_;
            changed_.notify_all();
            // Bounded by the runner's deadline, as a real collection is.
            changed_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + 10s), [&] { return open_; });
            return "{\"schema\":1,\"collection\":" + std::to_string(n) + "}";
        };
    }
    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }
    void close() {
        std::lock_guard lock(mutex_);
        open_ = false;
    }
    /// Waits (bounded) until `n` collections have started.
    bool startedAtLeast(int n) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 10s, [&] { return started_ >= n; });
    }
    int started() {
        std::lock_guard lock(mutex_);
        return started_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool open_ = false;
    int started_ = 0;
};

/// Opens the gate when the test's scope ends, before the loop is stopped, so no failure hangs.
struct OpenOnExit {
    GatedCollector& gate;
    ~OpenOnExit() { gate.open(); }
};

std::vector<inner::DiagnosticsReport> reports(const TestViewer& v) {
    std::vector<inner::DiagnosticsReport> out;
    for (const auto& m : v.received)
        if (auto* r = std::get_if<inner::DiagnosticsReport>(&m)) out.push_back(*r);
    return out;
}

/// Reads (and acknowledges frames) until the viewer holds `n` reports or 10 s passed.
std::vector<inner::DiagnosticsReport> waitForReports(TestViewer& v, SessionLoop& loop, FakeSender& sender, std::size_t n) {
    v.serve(loop, sender, 10s, [&] { return reports(v).size() >= n; }, [](const inner::Message&) {});
    return reports(v);
}

SessionSettings withCollector(DiagnosticsCollector collector) {
    SessionSettings s = fastSettings();
    s.diagnostics = std::move(collector);
    return s;
}

}  // namespace

TEST_CASE("a DiagnosticsRequest is answered once, with its requestId, to the asking viewer only") {
    Counters counters;
    FakeSender sender;
    GatedCollector gate;
    gate.open();
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, withCollector(gate.collector()));
    loop.start();
    // A view-only viewer may ask: the report is read-only, like the picture.
    TestViewer watcher(21);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    TestViewer other(22);
    other.seen = sender.waitFor(0, 0ms).size();
    other.join(loop, sender, envelope::ViewerMode::Control);

    watcher.send(loop, inner::DiagnosticsRequest{5});
    auto got = waitForReports(watcher, loop, sender, 1);
    REQUIRE(got.size() == 1);
    CHECK(got[0].requestId == 5);
    CHECK(got[0].json == "{\"schema\":1,\"collection\":1}");

    // The barrier: the other viewer's own request is answered after report 5 went out, so had
    // report 5 been sealed to it too, it would have arrived first.
    other.send(loop, inner::DiagnosticsRequest{9});
    auto others = waitForReports(other, loop, sender, 1);
    REQUIRE(others.size() == 1);
    CHECK(others[0].requestId == 9);
    CHECK(others[0].json == "{\"schema\":1,\"collection\":2}");
    // And the watcher got nothing more: report 9 was the other's alone.
    watcher.serve(loop, sender, 300ms, [] { return false; }, [](const inner::Message&) {});
    CHECK(reports(watcher).size() == 1);
    loop.stop();
}

TEST_CASE("requests that arrive while a collection runs share it; the screen keeps streaming meanwhile") {
    Counters counters;
    FakeSender sender;
    GatedCollector gate;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, withCollector(gate.collector()));
    OpenOnExit guard{gate};
    loop.start();
    TestViewer a(31);
    a.join(loop, sender, envelope::ViewerMode::Control);
    TestViewer b(32);
    b.seen = sender.waitFor(0, 0ms).size();
    b.join(loop, sender, envelope::ViewerMode::View);

    a.send(loop, inner::DiagnosticsRequest{1});
    REQUIRE(gate.startedAtLeast(1));
    a.send(loop, inner::DiagnosticsRequest{2});
    b.send(loop, inner::DiagnosticsRequest{3});

    // The collection is held, yet frames keep coming (and are acknowledged): it runs on its own thread.
    const int before = a.frameEnds();
    a.serve(loop, sender, 10s, [&] { return a.frameEnds() >= before + 5; }, [](const inner::Message&) {});
    CHECK(a.frameEnds() >= before + 5);
    CHECK(reports(a).empty());
    CHECK(gate.started() == 1);

    gate.open();
    auto forA = waitForReports(a, loop, sender, 2);
    auto forB = waitForReports(b, loop, sender, 1);
    REQUIRE(forA.size() == 2);
    REQUIRE(forB.size() == 1);
    CHECK(forA[0].requestId == 1);
    CHECK(forA[1].requestId == 2);
    CHECK(forB[0].requestId == 3);
    for (const auto& r : {forA[0], forA[1], forB[0]}) CHECK(r.json == "{\"schema\":1,\"collection\":1}");
    CHECK(gate.started() == 1);

    // Once it is done, the next request collects anew.
    b.send(loop, inner::DiagnosticsRequest{4});
    auto again = waitForReports(b, loop, sender, 2);
    REQUIRE(again.size() == 2);
    CHECK(again[1].requestId == 4);
    CHECK(again[1].json == "{\"schema\":1,\"collection\":2}");
    loop.stop();
}

TEST_CASE("a viewer cannot pile up unanswered requests; one that leaves gets nothing and stop() waits") {
    Counters counters;
    FakeSender sender;
    GatedCollector gate;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, withCollector(gate.collector()));
    OpenOnExit guard{gate};
    loop.start();
    TestViewer a(41);
    a.join(loop, sender, envelope::ViewerMode::Control);
    for (std::uint32_t id = 1; id <= kMaxDiagnosticsAsked + 2; ++id) a.send(loop, inner::DiagnosticsRequest{id});
    REQUIRE(gate.startedAtLeast(1));
    gate.open();
    auto got = waitForReports(a, loop, sender, kMaxDiagnosticsAsked);
    REQUIRE(got.size() == kMaxDiagnosticsAsked);
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].requestId == i + 1);
    // Barrier: a later request is answered, and the dropped ones never came before it.
    a.send(loop, inner::DiagnosticsRequest{100});
    got = waitForReports(a, loop, sender, kMaxDiagnosticsAsked + 1);
    REQUIRE(got.size() == kMaxDiagnosticsAsked + 1);
    CHECK(got.back().requestId == 100);

    // A viewer that left before its answer: nothing is sealed for it, and nothing breaks.
    TestViewer b(42);
    b.seen = sender.waitFor(0, 0ms).size();
    b.join(loop, sender, envelope::ViewerMode::View);
    gate.close();
    b.send(loop, inner::DiagnosticsRequest{7});
    REQUIRE(gate.startedAtLeast(3));
    loop.envelopeReceived(envelope::ViewerLeft{42, 0});
    gate.open();
    loop.stop();  // waits for the collection; the answer finds no viewer
    b.read(sender.waitFor(0, 0ms));
    CHECK(reports(b).empty());
}

TEST_CASE("without a collector, a request is logged and ignored") {
    Counters counters;
    FakeSender sender;
    std::vector<std::string> lines;
    std::mutex linesMutex;
    auto log = [&](const std::string& line) {
        std::lock_guard lock(linesMutex);
        lines.push_back(line);
    };
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, log, fastSettings());
    loop.start();
    TestViewer a(51);
    a.join(loop, sender, envelope::ViewerMode::Control);
    a.send(loop, inner::DiagnosticsRequest{1});
    loop.stop();
    a.read(sender.waitFor(0, 0ms));
    CHECK(reports(a).empty());
    std::lock_guard lock(linesMutex);
    CHECK(std::any_of(lines.begin(), lines.end(),
                      [](const std::string& l) { return l.find("cannot collect them") != std::string::npos; }));
}
