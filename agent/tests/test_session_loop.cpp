// The session loop with a fake screen, sender, injector and clipboard: the capturer exists
// only while a viewer's keys are agreed, frames in flight stay within the window until
// FrameAck, tiles are merged and taken round robin, only control-mode viewers' input and
// clipboard reach the machine, local copies reach control viewers only, and every viewer's
// stream starts with MonitorLayout then SessionInfo.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "tests/session_fakes.h"

using namespace guru;
using namespace guru::test;

TEST_CASE("flow control: at most two frames in flight until the viewer acknowledges") {
    Counters counters;
    FakeSender sender;
    FakeInjector injector;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    std::this_thread::sleep_for(100ms);
    CHECK(counters.opened == 0);  // idle: no capturer

    TestViewer viewer(7);
    viewer.join(loop, sender, envelope::ViewerMode::Control);
    // The screen changes on every capture, yet the window stops the third frame.
    CHECK(frameEndsSettled(viewer, sender, 2) == 2);
    CHECK(counters.open == 1);
    REQUIRE(std::holds_alternative<inner::MonitorLayout>(viewer.received.front()));
    // Right after the layout: the capture path, what Ctrl+Alt+Del does and elevation
    // (FakeInjector keeps the InputInjector defaults: ordinary keys, not elevated).
    REQUIRE(viewer.received.size() >= 2);
    CHECK(viewer.received[1] == inner::Message{inner::SessionInfo{"fake", inner::SecureAttention::Keys}});

    viewer.send(loop, inner::FrameAck{2});  // acknowledges 1 and 2 (frame 1 lost: the screen comes again)
    CHECK(frameEndsSettled(viewer, sender, 4) == 4);

    viewer.send(loop, inner::FrameAck{3});  // one slot
    CHECK(frameEndsSettled(viewer, sender, 5) == 5);

    loop.envelopeReceived(envelope::ViewerLeft{7, 0});
    for (int i = 0; i < 250 && counters.open != 0; ++i) std::this_thread::sleep_for(20ms);
    CHECK(counters.open == 0);  // the last viewer left: capturer closed
    loop.stop();
}

TEST_CASE("picture frames are marked for the relay; an ack that skips frames resends the screen") {
    Counters counters;
    FakeSender sender;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer viewer(3);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    REQUIRE(frameEndsSettled(viewer, sender, 2) == 2);
    // docs/protocol.md §2.5: updates are `picture`, each FrameEnd ends its frame, the rest never drops.
    REQUIRE(viewer.marks.size() == viewer.received.size());
    for (std::size_t i = 0; i < viewer.received.size(); ++i) {
        const auto& m = viewer.received[i];
        const auto expected = std::holds_alternative<inner::TileUpdate>(m)  ? envelope::RelayMark::Picture
                              : std::holds_alternative<inner::FrameEnd>(m) ? envelope::RelayMark::FrameEnd
                                                                           : envelope::RelayMark::None;
        CHECK(viewer.marks[i] == expected);
    }
    auto layouts = [&viewer] {
        return std::count_if(viewer.received.begin(), viewer.received.end(),
                             [](const inner::Message& m) { return std::holds_alternative<inner::MonitorLayout>(m); });
    };
    CHECK(layouts() == 1);
    // Acknowledged in order: no resend.
    viewer.send(loop, inner::FrameAck{1});
    REQUIRE(frameEndsSettled(viewer, sender, 3) == 3);
    CHECK(layouts() == 1);
    // Frame 2 is never acknowledged, frame 3 is: the relay dropped frame 2, so the whole screen
    // (layout first) comes again.
    viewer.send(loop, inner::FrameAck{3});
    REQUIRE(frameEndsSettled(viewer, sender, 5) == 5);
    CHECK(layouts() == 2);
    loop.stop();
}

TEST_CASE("frames are capped in updates, merge tiles and cover the whole screen round-robin") {
    Counters counters;
    FakeSender sender;
    SessionSettings settings = fastSettings();
    settings.tilesPerFrame = 3;  // 8 tiles on the fake screen, one of them changing always
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, settings);
    loop.start();
    TestViewer viewer(5);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    std::set<std::pair<int, int>> seen;  // 64-px tiles covered by some TileUpdate
    std::size_t most = 0, inFrame = 0, merged = 0;
    viewer.serve(loop, sender, 10s, [&] { return seen.size() >= 8; }, [&](const inner::Message& m) {
        if (auto* t = std::get_if<inner::TileUpdate>(&m)) {
            for (int y = t->y; y < t->y + t->height; y += 64)
                for (int x = t->x; x < t->x + t->width; x += 64) seen.insert({x, y});
            merged += t->width > 64 || t->height > 64;
            most = std::max(most, ++inFrame);
        } else if (std::holds_alternative<inner::FrameEnd>(m)) {
            inFrame = 0;
        }
    });
    CHECK(seen.size() == 8);
    CHECK(most <= 3);
    // Without an input backend Ctrl+Alt+Del cannot be delivered at all.
    REQUIRE(viewer.received.size() >= 2);
    CHECK(std::holds_alternative<inner::MonitorLayout>(viewer.received[0]));
    CHECK(viewer.received[1] == inner::Message{inner::SessionInfo{"fake", inner::SecureAttention::Unavailable}});
    CHECK(merged >= 1);  // the first full screen is one class: fewer, larger updates
    loop.stop();
}

TEST_CASE("input: control viewers drive the injector, view-only viewers do not") {
    Counters counters;
    FakeSender sender;
    FakeInjector injector;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer watcher(8);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    watcher.send(loop, inner::PointerMove{1, 2});
    CHECK(injector.moves == 0);

    TestViewer controller(9);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    controller.send(loop, inner::PointerMove{1, 2});
    controller.send(loop, inner::PointerMove{3, 4});
    CHECK(injector.moves == 2);

    // A replayed record is refused, not injected twice.
    auto plain = inner::encode(inner::PointerMove{5, 6});
    auto sealed = controller.channel->seal(*plain);
    loop.envelopeReceived(envelope::Relay{9, *sealed});
    loop.envelopeReceived(envelope::Relay{9, *sealed});
    CHECK(injector.moves == 3);

    loop.envelopeReceived(envelope::ViewerLeft{9, 0});
    CHECK(injector.releases == 1);  // nothing stays pressed after a controller leaves
    loop.connectionDown();          // drops the watcher too
    for (int i = 0; i < 250 && counters.open != 0; ++i) std::this_thread::sleep_for(20ms);
    CHECK(counters.open == 0);
    loop.stop();
}

TEST_CASE("clipboard: control viewers write the local clipboard, view-only viewers do not") {
    Counters counters;
    FakeSender sender;
    FakeClipboard clipboard;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, &clipboard, nullptr, fastSettings());
    loop.start();
    TestViewer watcher(10);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    watcher.send(loop, inner::ClipboardText{"from a watcher"});
    CHECK(clipboard.writes().empty());

    TestViewer controller(11);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    controller.send(loop, inner::ClipboardText{"Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac"});
    REQUIRE(clipboard.writes().size() == 1);
    CHECK(clipboard.writes()[0] == "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac");

    // Larger than the bound: dropped whole, never truncated.
    controller.send(loop, inner::ClipboardText{std::string(kMaxClipboardBytes + 1, 'x')});
    CHECK(clipboard.writes().size() == 1);
    loop.stop();
}

TEST_CASE("clipboard: local copies reach control viewers only, and only while one is there") {
    Counters counters;
    FakeSender sender;
    FakeClipboard clipboard;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, &clipboard, nullptr, fastSettings());
    loop.start();
    clipboard.copyLocally("before anyone joined");

    TestViewer watcher(12);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    TestViewer controller(13);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    for (int i = 0; i < 250 && clipboard.changePending(); ++i) std::this_thread::sleep_for(20ms);
    CHECK_FALSE(clipboard.changePending());  // taken and dropped: nobody was there

    clipboard.copyLocally("copied locally \xe2\x82\xac");
    auto clips = [](const TestViewer& v) {
        std::vector<std::string> texts;
        for (const auto& m : v.received)
            if (auto* c = std::get_if<inner::ClipboardText>(&m)) texts.push_back(c->text);
        return texts;
    };
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (clips(controller).empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        controller.read(sender.waitFor(0, 0ms));
    }
    watcher.read(sender.waitFor(0, 0ms));
    REQUIRE(clips(controller).size() == 1);
    CHECK(clips(controller)[0] == "copied locally \xe2\x82\xac");
    CHECK(clips(watcher).empty());
    loop.stop();
}

namespace {
// An injector that says Ctrl+Alt+Del becomes SendSAS and that it runs elevated, like the
// Windows one in a service (LocalSystem's token is elevated).
class SasInjector final : public platform::InputInjector {
public:
    platform::SecureAttention secureAttention() const override { return platform::SecureAttention::Sas; }
    bool elevated() const override { return true; }
    Outcome<platform::InputError> movePointer(int, int) override { return Unit{}; }
    Outcome<platform::InputError> button(inner::Button, bool) override { return Unit{}; }
    Outcome<platform::InputError> wheel(int, int) override { return Unit{}; }
    Outcome<platform::InputError> key(const inner::Key&) override { return Unit{}; }
    void releaseAll() override {}
};
}  // namespace

TEST_CASE("session info: each viewer gets it right after its MonitorLayout, with the injector's answers") {
    Counters counters;
    FakeSender sender;
    SasInjector injector;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer first(20);
    first.join(loop, sender, envelope::ViewerMode::Control);
    REQUIRE(frameEndsSettled(first, sender, 1) >= 1);
    TestViewer second(21);
    second.seen = sender.waitFor(0, 0ms).size();
    second.join(loop, sender, envelope::ViewerMode::View);
    REQUIRE(frameEndsSettled(second, sender, 1) >= 1);
    const inner::Message expected = inner::SessionInfo{"fake", inner::SecureAttention::Sas, true};
    for (TestViewer* v : {&first, &second}) {
        CAPTURE(v->id);
        REQUIRE(v->received.size() >= 2);
        CHECK(std::holds_alternative<inner::MonitorLayout>(v->received[0]));
        CHECK(v->received[1] == expected);
        // Once per intro: no other SessionInfo while the stream runs on.
        CHECK(std::count(v->received.begin(), v->received.end(), expected) == 1);
    }
    loop.stop();
}
