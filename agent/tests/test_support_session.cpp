// Support-mode policy: AgentStatus on every connection, viewers held (no key share, no
// record) until consent, released in order after it, names from ViewerInfo, and the end
// of the session on SessionEnd or a final Reject.
#include <doctest/doctest.h>

#include <mutex>
#include <vector>

#include "core/support_session.h"

using namespace guru;
using namespace guru::envelope;

namespace {

struct RecordingSender final : EnvelopeSender {
    bool connected = true;
    std::vector<Message> sent;
    bool send(const Message& m) override {
        if (!connected) return false;
        sent.push_back(m);
        return true;
    }
    std::vector<int> statuses() const {
        std::vector<int> out;
        for (const auto& m : sent) {
            if (auto* s = std::get_if<AgentStatus>(&m)) out.push_back(static_cast<int>(s->state));
        }
        return out;
    }
};

// Stands in for the session loop: records what reaches it.
struct RecordingSession final : ConnectionListener {
    std::vector<Message> received;
    int ups = 0, downs = 0;
    void connectionUp(const envelope::Welcome&) override { ++ups; }
    void envelopeReceived(Message m) override { received.push_back(std::move(m)); }
    void connectionDown() override { ++downs; }
};

ViewerJoined joined(std::uint32_t id) { return ViewerJoined{Id128{}, id, ViewerMode::Control}; }
Relay keyShare(std::uint32_t id) { return Relay{id, Bytes(66, std::byte{0x01})}; }

}  // namespace

TEST_CASE("consent required: status 1, viewers held until consent, then released in order") {
    RecordingSender sender;
    RecordingSession session;
    std::vector<std::string> logs;
    SupportSession support(sender, session, true, [&](const std::string& l) { logs.push_back(l); });
    support.connectionUp({1, 20});
    CHECK(session.ups == 1);
    CHECK(sender.statuses() == std::vector<int>{1});

    support.envelopeReceived(ViewerInfo{7, "Ada Lovelace"});
    support.envelopeReceived(joined(7));
    support.envelopeReceived(keyShare(7));
    // Nothing reached the session: no key share was sent to viewer 7, no pixels.
    CHECK(session.received.empty());
    CHECK(support.view().consent == ConsentState::Pending);
    CHECK(support.view().names() == std::vector<std::string>{"Ada Lovelace"});

    support.giveConsent();
    CHECK(sender.statuses() == std::vector<int>{1, 2});
    REQUIRE(session.received.size() == 2);
    CHECK(std::holds_alternative<ViewerJoined>(session.received[0]));
    CHECK(std::get<Relay>(session.received[1]).peerId == 7);

    // After consent, everything passes straight through.
    support.envelopeReceived(joined(8));
    support.envelopeReceived(keyShare(8));
    CHECK(session.received.size() == 4);
    CHECK(support.view().technicians.size() == 2);

    // A reconnection reports the consent again.
    support.connectionDown();
    CHECK(session.downs == 1);
    CHECK(support.view().technicians.empty());
    support.connectionUp({2, 20});
    CHECK(sender.statuses() == std::vector<int>{1, 2, 2});
}

TEST_CASE("a held viewer that leaves is forgotten; records for unknown viewers are dropped") {
    RecordingSender sender;
    RecordingSession session;
    SupportSession support(sender, session, true, nullptr);
    support.connectionUp({1, 20});
    support.envelopeReceived(joined(3));
    support.envelopeReceived(Relay{9, Bytes(3, std::byte{2})});  // no such viewer
    support.envelopeReceived(ViewerLeft{3, 0});
    support.giveConsent();
    CHECK(session.received.empty());
    CHECK(support.view().technicians.empty());
}

TEST_CASE("held records are bounded per viewer") {
    RecordingSender sender;
    RecordingSession session;
    SupportSession support(sender, session, true, nullptr);
    support.connectionUp({1, 20});
    support.envelopeReceived(joined(5));
    for (int i = 0; i < 20; ++i) support.envelopeReceived(keyShare(5));
    support.giveConsent();
    CHECK(session.received.size() == 1 + SupportSession::kMaxHeldRecords);
}

TEST_CASE("decline: status 3 and held viewers never reach the session") {
    RecordingSender sender;
    RecordingSession session;
    SupportSession support(sender, session, true, nullptr);
    support.connectionUp({1, 20});
    support.envelopeReceived(joined(4));
    support.declineConsent(false);
    support.envelopeReceived(joined(6));
    support.giveConsent();  // too late: ignored
    CHECK(session.received.empty());
    CHECK(sender.statuses() == std::vector<int>{1, 3});
    CHECK(support.view().consent == ConsentState::Declined);
}

TEST_CASE("consent not required: status 2 at once and viewers pass through") {
    RecordingSender sender;
    RecordingSession session;
    SupportSession support(sender, session, false, nullptr);
    CHECK_FALSE(support.view().everConnected);
    support.connectionUp({1, 20});
    CHECK(support.view().everConnected);
    CHECK(sender.statuses() == std::vector<int>{2});
    support.envelopeReceived(joined(2));
    CHECK(session.received.size() == 1);
    CHECK(support.endByUser());
    CHECK(sender.statuses() == std::vector<int>{2, 4});
    sender.connected = false;
    CHECK_FALSE(support.endByUser());
}

TEST_CASE("SessionEnd and a final Reject end the session; other rejects do not") {
    RecordingSender sender;
    RecordingSession session;
    SupportSession support(sender, session, true, nullptr);
    support.connectionRefused(RejectCode::RateLimited);
    support.connectionRefused(RejectCode::ServerError);
    CHECK_FALSE(support.view().ended.has_value());
    support.connectionRefused(RejectCode::UnknownSession);
    REQUIRE(support.view().ended.has_value());
    CHECK(support.view().ended->cause == SupportEnd::Cause::Refused);

    SupportSession other(sender, session, true, nullptr);
    other.connectionUp({1, 20});
    other.envelopeReceived(SessionEnd{Id128{}, 2});
    REQUIRE(other.view().ended.has_value());
    CHECK(other.view().ended->cause == SupportEnd::Cause::SessionEnd);
    CHECK(other.view().ended->reason == 2);
}

namespace {
// Stands in for the session loop's gate: records what it was told.
struct RecordingGate final : ViewerGate {
    bool holding = false;
    std::vector<std::uint32_t> admitted;
    void holdNewViewers(bool hold) override { holding = hold; }
    void admitViewer(std::uint32_t id) override { admitted.push_back(id); }
    std::optional<std::string> shortAuthString(std::uint32_t) const override { return std::nullopt; }
};
}  // namespace

TEST_CASE("gated: viewers agree keys before consent, each new viewer waits for its own answer") {
    RecordingSender sender;
    RecordingSession session;
    RecordingGate gate;
    SupportSession support(sender, session, true, nullptr);
    support.useGate(gate);
    CHECK(gate.holding);
    support.connectionUp({1, 20});
    support.envelopeReceived(ViewerInfo{7, "Ada Lovelace"});
    support.envelopeReceived(joined(7));
    support.envelopeReceived(keyShare(7));
    // The key exchange reaches the session at once (the gate keeps pictures and input back).
    REQUIRE(session.received.size() == 2);
    auto v = support.view();
    REQUIRE(v.technicians.size() == 1);
    CHECK(v.technicians[0] == TechnicianView{7, "Ada Lovelace", true});
    CHECK(v.anyAwaiting());
    CHECK(gate.admitted.empty());

    support.giveConsent();
    CHECK(gate.admitted == std::vector<std::uint32_t>{7});
    CHECK(sender.statuses() == std::vector<int>{1, 2});
    CHECK_FALSE(support.view().anyAwaiting());

    // A second technician is announced and waits for the end user again.
    support.envelopeReceived(ViewerInfo{8, "Grace Hopper"});
    support.envelopeReceived(joined(8));
    v = support.view();
    REQUIRE(v.technicians.size() == 2);
    CHECK(v.technicians[1] == TechnicianView{8, "Grace Hopper", true});
    support.refuseWaiting();  // the end user said no to Grace only
    CHECK_FALSE(support.view().anyAwaiting());
    CHECK(gate.admitted == std::vector<std::uint32_t>{7});
    CHECK(support.view().consent == ConsentState::Given);  // Ada's session goes on
}

TEST_CASE("gated: allowed before anyone joined, the first technician needs no second answer") {
    RecordingSender sender;
    RecordingSession session;
    RecordingGate gate;
    SupportSession support(sender, session, true, nullptr);
    support.useGate(gate);
    support.connectionUp({1, 20});
    support.giveConsent();
    support.envelopeReceived(joined(4));
    CHECK(gate.admitted == std::vector<std::uint32_t>{4});
    CHECK_FALSE(support.view().anyAwaiting());
    support.envelopeReceived(joined(5));  // the next one is asked about
    CHECK(support.view().anyAwaiting());
    CHECK(gate.admitted == std::vector<std::uint32_t>{4});
}

TEST_CASE("gated without consent: nothing waits") {
    RecordingSender sender;
    RecordingSession session;
    RecordingGate gate;
    SupportSession support(sender, session, false, nullptr);
    support.useGate(gate);
    CHECK_FALSE(gate.holding);
    support.connectionUp({1, 20});
    support.envelopeReceived(joined(3));
    CHECK_FALSE(support.view().anyAwaiting());
    CHECK(session.received.size() == 1);
}

TEST_CASE("handover: the end user's answers are recorded, and a takeover keeps them without asking again") {
    // The unelevated agent: Ada (7) allowed, Grace (8) refused, Alan (9) still waiting.
    RecordingSender sender;
    RecordingSession session;
    RecordingGate gate;
    SupportSession old(sender, session, true, nullptr);
    old.useGate(gate);
    old.connectionUp({1, 20});
    CHECK(old.consentRecord() == ConsentRecord{false, {}, {}});
    old.envelopeReceived(joined(7));
    old.giveConsent();
    old.envelopeReceived(joined(8));
    old.refuseWaiting();
    old.envelopeReceived(joined(9));
    const ConsentRecord record = old.consentRecord();
    CHECK(record == ConsentRecord{true, {7}, {8}});
    old.envelopeReceived(ViewerLeft{7, 0});
    CHECK(old.consentRecord() == ConsentRecord{true, {}, {8}});

    // The elevated child: consent stands, the server's re-announced viewers keep their answers.
    RecordingSender childSender;
    RecordingSession childSession;
    RecordingGate childGate;
    SupportSession child(childSender, childSession, true, nullptr);
    child.useGate(childGate);
    child.carryOver(record);
    CHECK(child.view().consent == ConsentState::Given);
    child.connectionUp({2, 20});
    CHECK(childSender.statuses() == std::vector<int>{2});  // consent given, never "waiting" again
    child.envelopeReceived(joined(7));
    child.envelopeReceived(joined(8));
    child.envelopeReceived(joined(9));  // was waiting: asked now
    CHECK(childGate.admitted == std::vector<std::uint32_t>{7});
    auto v = child.view();
    REQUIRE(v.technicians.size() == 3);
    CHECK_FALSE(v.technicians[0].awaitingConsent);
    CHECK_FALSE(v.technicians[1].awaitingConsent);  // refused stays refused, not asked again
    CHECK(v.technicians[2].awaitingConsent);
    CHECK(child.consentRecord() == ConsentRecord{true, {7}, {8}});

    // The carried answers are for the first link only: after a drop, viewer 7 is a new join.
    child.connectionDown();
    child.connectionUp({3, 20});
    child.envelopeReceived(joined(7));
    CHECK(childGate.admitted == std::vector<std::uint32_t>{7});  // not admitted a second time
    CHECK(child.view().anyAwaiting());
}

TEST_CASE("handover: a takeover without consent asks as usual") {
    RecordingSender sender;
    RecordingSession session;
    RecordingGate gate;
    SupportSession child(sender, session, true, nullptr);
    child.useGate(gate);
    child.carryOver(ConsentRecord{false, {7}, {}});  // a forged list without consent admits nobody
    child.connectionUp({1, 20});
    CHECK(sender.statuses() == std::vector<int>{1});
    child.envelopeReceived(joined(7));
    CHECK(gate.admitted.empty());
    CHECK(child.view().anyAwaiting());
}
