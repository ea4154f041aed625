// The session loop's side of the E2E channel (docs/protocol.md §3): it commits, then signs
// the key exchange with the agent's identity; a deleted input record ends that viewer's
// channel (ChannelClosed, nothing injected after it); layout and session info travel
// ordered, pictures on their own stream; a view-only viewer's input never reaches the machine.
#include <doctest/doctest.h>

#include "tests/session_fakes.h"

using namespace guru;
using namespace guru::test;

namespace {

// Seals `m` as the viewer would, without sending it (a record the relay will delete).
Bytes sealOnly(TestViewer& viewer, const inner::Message& m) {
    auto plain = inner::encode(m);
    REQUIRE(plain.ok());
    auto sealed = viewer.channel->seal(*plain, crypto::RecordStream::Ordered, inner::kInputPlaintextSize);
    REQUIRE(sealed.ok());
    return *sealed;
}

bool closedFor(const TestViewer& viewer, inner::CloseReason reason) {
    return std::find(viewer.received.begin(), viewer.received.end(), inner::Message{inner::ChannelClosed{reason}}) !=
           viewer.received.end();
}

}  // namespace

TEST_CASE("the key exchange is signed with the agent's identity and both ends show one code") {
    Counters counters;
    FakeSender sender;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer viewer(4);
    viewer.join(loop, sender, envelope::ViewerMode::View);  // REQUIREs the commitment and the signature
    REQUIRE(viewer.handshake.identity().has_value());
    CHECK(*viewer.handshake.identity() == testIdentity().publicKey());
    CHECK(viewer.channel->shortAuthString().size() == 7);  // "123 456"
    loop.stop();
}

TEST_CASE("a relay that swaps the viewer's key share gets no channel the viewer accepts") {
    Counters counters;
    FakeSender sender;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer viewer(5);
    loop.envelopeReceived(envelope::ViewerJoined{{}, viewer.id, envelope::ViewerMode::Control});
    auto share = viewer.handshake.commitReceived(viewer.nextRelay(sender).sealed);
    REQUIRE(share.ok());
    auto relayKey = crypto::EcdhKeyPair::generate();
    REQUIRE(relayKey.ok());
    loop.envelopeReceived(envelope::Relay{viewer.id, crypto::encodeKeyShare(relayKey->publicKey())});
    auto opened = viewer.handshake.confirmReceived(viewer.nextRelay(sender).sealed);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error() == crypto::CryptoError::BadSignature);
    loop.stop();
}

TEST_CASE("a deleted input record ends the channel: ChannelClosed, nothing injected after it") {
    Counters counters;
    FakeSender sender;
    FakeInjector injector;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer viewer(6);
    viewer.join(loop, sender, envelope::ViewerMode::Control);
    viewer.send(loop, inner::PointerMove{1, 1});
    CHECK(injector.moves == 1);
    (void)sealOnly(viewer, inner::PointerButton{inner::Button::Left, true});  // the relay deletes it
    viewer.send(loop, inner::PointerMove{2, 2});
    viewer.send(loop, inner::PointerMove{3, 3});
    CHECK(injector.moves == 1);
    CHECK(injector.releases >= 1);  // whatever the viewer held is let go

    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!closedFor(viewer, inner::CloseReason::MissingRecord) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
        viewer.read(sender.waitFor(0, 0ms));
    }
    REQUIRE(closedFor(viewer, inner::CloseReason::MissingRecord));
    // The channel is gone: the capturer closes (no viewer left) and nothing more is sealed for it.
    for (int i = 0; i < 250 && counters.open != 0; ++i) std::this_thread::sleep_for(20ms);
    CHECK(counters.open == 0);
    const std::size_t after = sender.waitFor(0, 0ms).size();
    viewer.send(loop, inner::PointerMove{4, 4});
    CHECK(injector.moves == 1);
    CHECK(sender.waitFor(0, 0ms).size() == after);
    loop.stop();
}

TEST_CASE("a view-only viewer's input records are dropped, a controller's in the same session are not") {
    Counters counters;
    FakeSender sender;
    FakeInjector injector;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), &injector, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer watcher(7);
    watcher.join(loop, sender, envelope::ViewerMode::View);
    watcher.send(loop, inner::PointerMove{1, 2});
    watcher.send(loop, inner::PointerButton{inner::Button::Left, true});
    watcher.send(loop, inner::Key{true, 0, "KeyA", "a"});
    watcher.send(loop, inner::Wheel{0, 120});
    CHECK(injector.moves == 0);
    CHECK(injector.buttons == 0);
    CHECK(injector.keys == 0);
    CHECK(injector.wheels == 0);
    TestViewer controller(8);
    controller.seen = sender.waitFor(0, 0ms).size();
    controller.join(loop, sender, envelope::ViewerMode::Control);
    controller.send(loop, inner::PointerMove{1, 2});  // the barrier: this one is injected
    CHECK(injector.moves == 1);
    CHECK(injector.buttons == 0);
    loop.stop();
}

TEST_CASE("layout and session info are ordered records; tiles, frame ends and the cursor are pictures") {
    Counters counters;
    FakeSender sender;
    SessionLoop loop(sender, testIdentity(), fakeScreens(counters), nullptr, nullptr, nullptr, fastSettings());
    loop.start();
    TestViewer viewer(9);
    viewer.join(loop, sender, envelope::ViewerMode::View);
    REQUIRE(frameEndsSettled(viewer, sender, 1) >= 1);
    REQUIRE(viewer.received.size() == viewer.streams.size());
    int pictures = 0;
    for (std::size_t i = 0; i < viewer.received.size(); ++i) {
        const auto& m = viewer.received[i];
        const bool picture = std::holds_alternative<inner::TileUpdate>(m) || std::holds_alternative<inner::FrameEnd>(m) ||
                             std::holds_alternative<inner::CursorImage>(m) ||
                             std::holds_alternative<inner::CursorPosition>(m);
        CHECK(viewer.streams[i] == (picture ? crypto::RecordStream::Picture : crypto::RecordStream::Ordered));
        pictures += picture;
    }
    CHECK(pictures >= 2);
    CHECK(viewer.streams[0] == crypto::RecordStream::Ordered);  // MonitorLayout
    loop.stop();
}
