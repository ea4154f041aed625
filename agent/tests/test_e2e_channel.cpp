// E2E channel version 2 against protocol/vectors/e2e.json (generated with OpenSSL via
// pyca/cryptography): the signed handshake, both counter spaces, padding, the 6-digit code;
// then fresh keys: a relay that swaps keys, deletes an ordered record, or skips pictures.
#include <doctest/doctest.h>

#include <optional>
#include <set>

#include "core/e2e_handshake.h"
#include "core/inner_message.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::crypto;
using guru::test::fromHex;
using guru::test::toHex;

namespace {

std::string hexOf(const nlohmann::json& v, const char* key) { return v[key].get<std::string>(); }

template <std::size_t N>
std::array<std::byte, N> arrayOf(const nlohmann::json& v, const char* key) {
    auto bytes = fromHex(hexOf(v, key));
    REQUIRE(bytes.size() == N);
    std::array<std::byte, N> out{};
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

EcdhKeyPair keyFrom(const nlohmann::json& v, const char* key) {
    auto k = EcdhKeyPair::fromPrivate(fromHex(hexOf(v, key)));
    REQUIRE(k.ok());
    return std::move(*k);
}

IdentityKey identityFrom(const nlohmann::json& v) {
    auto k = IdentityKey::fromSeed(fromHex(hexOf(v, "identitySeed")));
    REQUIRE(k.ok());
    return std::move(*k);
}

SessionKeys sessionKeys(const nlohmann::json& v) {
    auto secret = keyFrom(v, "agentPrivate").agree(fromHex(hexOf(v, "viewerPublic")));
    REQUIRE(secret.ok());
    auto keys = deriveSessionKeys(*secret, arrayOf<32>(v, "transcriptHash"));
    REQUIRE(keys.ok());
    return *keys;
}

E2eChannel channel(Role role, const SessionKeys& keys) {
    auto c = E2eChannel::fromKeys(role, keys);
    REQUIRE(c.ok());
    return std::move(*c);
}

RecordStream streamOf(const nlohmann::json& r) {
    return r["stream"] == "picture" ? RecordStream::Picture : RecordStream::Ordered;
}

// A full handshake between fresh keys; `tamper` may change the records on the way.
struct Pair {
    E2eChannel agent;
    E2eChannel viewer;
};
Pair handshake(const IdentityKey& identity) {
    const SessionId session{std::byte{1}};
    auto agentSide = AgentHandshake::start(identity, session, 3);
    REQUIRE(agentSide.ok());
    ViewerHandshake viewerSide(EcdhKeyPair::generate().value(), session, 3);
    auto share = viewerSide.commitReceived(agentSide->commitRecord());
    REQUIRE(share.ok());
    auto finished = agentSide->finish(*share);
    REQUIRE(finished.ok());
    auto viewer = viewerSide.confirmReceived(finished->confirmRecord);
    REQUIRE(viewer.ok());
    return {std::move(finished->channel), std::move(*viewer)};
}

}  // namespace

TEST_CASE("vector: public keys, shared secret and the transcript hash") {
    auto v = guru::test::loadVectors("e2e.json");
    CHECK(toHex(keyFrom(v, "agentPrivate").publicKey()) == hexOf(v, "agentPublic"));
    CHECK(toHex(keyFrom(v, "viewerPrivate").publicKey()) == hexOf(v, "viewerPublic"));
    CHECK(toHex(identityFrom(v).publicKey()) == hexOf(v, "identityPublic"));
    auto fromAgent = keyFrom(v, "agentPrivate").agree(fromHex(hexOf(v, "viewerPublic")));
    auto fromViewer = keyFrom(v, "viewerPrivate").agree(fromHex(hexOf(v, "agentPublic")));
    REQUIRE((fromAgent.ok() && fromViewer.ok()));
    CHECK(toHex(*fromAgent) == hexOf(v, "sharedSecret"));
    CHECK(toHex(*fromViewer) == hexOf(v, "sharedSecret"));
    const Transcript t{arrayOf<65>(v, "agentPublic"), arrayOf<65>(v, "viewerPublic"), arrayOf<32>(v, "identityPublic"),
                       arrayOf<16>(v, "sessionId"), v["viewerId"].get<std::uint32_t>()};
    CHECK(toHex(transcriptHash(t)) == hexOf(v, "transcriptHash"));
    CHECK(toHex(keyCommitment(t.agentEphemeral, t.identity)) == hexOf(v, "keyCommitment"));
    CHECK(toHex(keyConfirmSigningInput(transcriptHash(t))) == hexOf(v, "signingInput"));
    CHECK(shortAuthString(transcriptHash(t)) == hexOf(v, "shortAuthString"));
}

TEST_CASE("vector: HKDF keys from the shared secret and the transcript hash") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    CHECK(toHex(keys.agentToViewer) == hexOf(v, "keyAgentToViewer"));
    CHECK(toHex(keys.viewerToAgent) == hexOf(v, "keyViewerToAgent"));
    auto direct = hkdfSha256(fromHex(hexOf(v, "sharedSecret")), fromHex(hexOf(v, "hkdfSalt")),
                             fromHex(hexOf(v, "infoViewerToAgent")));
    REQUIRE(direct.ok());
    CHECK(toHex(*direct) == hexOf(v, "keyViewerToAgent"));
}

TEST_CASE("vector: the agent's handshake records, and the viewer accepts them") {
    auto v = guru::test::loadVectors("e2e.json");
    const auto identity = identityFrom(v);
    const SessionId session = arrayOf<16>(v, "sessionId");
    const auto viewerId = v["viewerId"].get<std::uint32_t>();
    auto agent = AgentHandshake::withKey(identity, keyFrom(v, "agentPrivate"), session, viewerId);
    CHECK(toHex(agent.commitRecord()) == hexOf(v, "keyCommitRecord"));

    ViewerHandshake viewer(keyFrom(v, "viewerPrivate"), session, viewerId);
    auto share = viewer.commitReceived(fromHex(hexOf(v, "keyCommitRecord")));
    REQUIRE(share.ok());
    CHECK(toHex(*share) == hexOf(v, "keyShareViewer"));

    auto finished = agent.finish(*share);
    REQUIRE(finished.ok());
    // Ed25519 is deterministic: the same key and transcript give the vector's signature.
    CHECK(toHex(finished->confirmRecord) == hexOf(v, "keyConfirmRecord"));
    CHECK(finished->channel.shortAuthString() == hexOf(v, "shortAuthString"));

    auto opened = viewer.confirmReceived(fromHex(hexOf(v, "keyConfirmRecord")));
    REQUIRE(opened.ok());
    CHECK(opened->shortAuthString() == hexOf(v, "shortAuthString"));
    REQUIRE(viewer.identity().has_value());
    CHECK(toHex(*viewer.identity()) == hexOf(v, "identityPublic"));
}

TEST_CASE("vector: what a relay can do to the handshake is refused") {
    auto v = guru::test::loadVectors("e2e.json");
    const SessionId session = arrayOf<16>(v, "sessionId");
    REQUIRE(v["handshakeRejections"].size() >= 5);
    for (const auto& r : v["handshakeRejections"]) {
        CAPTURE(r["name"].get<std::string>());
        ViewerHandshake viewer(keyFrom(v, "viewerPrivate"), session, v["viewerId"].get<std::uint32_t>());
        auto share = viewer.commitReceived(fromHex(hexOf(r, "commit")));
        if (!share) {
            CHECK(std::string(name(share.error())) == hexOf(r, "error"));
            continue;
        }
        auto opened = viewer.confirmReceived(fromHex(hexOf(r, "confirm")));
        REQUIRE_FALSE(opened.ok());
        CHECK(std::string(name(opened.error())) == hexOf(r, "error"));
        CHECK_FALSE(viewer.identity().has_value());
    }
}

TEST_CASE("vector: sealing reproduces every record, opening returns the message") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    auto agent = channel(Role::Agent, keys);
    auto viewer = channel(Role::Viewer, keys);
    auto agentRx = channel(Role::Agent, keys);
    auto viewerRx = channel(Role::Viewer, keys);
    REQUIRE(v["records"].size() >= 8);
    for (const auto& r : v["records"]) {
        CAPTURE(r["counter"].get<int>());
        const bool fromAgent = r["direction"] == "agentToViewer";
        const Bytes message = fromHex(hexOf(r, "message"));
        auto sealed = (fromAgent ? agent : viewer).seal(message, streamOf(r), r["padTo"].get<std::size_t>());
        REQUIRE(sealed.ok());
        CHECK(toHex(*sealed) == hexOf(r, "sealed"));
        CHECK(toHex(ByteView(*sealed).first(kSealedHeaderSize)) == hexOf(r, "aad"));
        if (r["dropped"].get<bool>()) continue;  // the relay dropped it: a picture may skip
        auto opened = (fromAgent ? viewerRx : agentRx).open(fromHex(hexOf(r, "sealed")));
        REQUIRE(opened.ok());
        CHECK(opened->stream == streamOf(r));
        CHECK(toHex(opened->message) == hexOf(r, "message"));
    }
    for (const auto& r : v["records"]) {
        const bool fromAgent = r["direction"] == "agentToViewer";
        auto again = (fromAgent ? viewerRx : agentRx).open(fromHex(hexOf(r, "sealed")));
        REQUIRE_FALSE(again.ok());
        CHECK(std::string(name(again.error())) == hexOf(v, "replayError"));
    }
}

TEST_CASE("vector: tampered, misdirected and badly padded records are rejected") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    REQUIRE(v["rejections"].size() >= 10);
    for (const auto& r : v["rejections"]) {
        CAPTURE(r["name"].get<std::string>());
        auto rx = channel(r["direction"] == "agentToViewer" ? Role::Viewer : Role::Agent, keys);
        auto opened = rx.open(fromHex(hexOf(r, "sealed")));
        REQUIRE_FALSE(opened.ok());
        CHECK(std::string(name(opened.error())) == hexOf(r, "error"));
    }
}

TEST_CASE("vector: a deleted ordered record ends the channel; an old picture is a replay") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    REQUIRE(v["sequences"].size() >= 3);
    for (const auto& s : v["sequences"]) {
        CAPTURE(s["name"].get<std::string>());
        auto rx = channel(s["direction"] == "agentToViewer" ? Role::Viewer : Role::Agent, keys);
        const auto& records = s["sealed"];
        for (std::size_t i = 0; i + 1 < records.size(); ++i) CHECK(rx.open(fromHex(records[i].get<std::string>())).ok());
        auto last = rx.open(fromHex(records.back().get<std::string>()));
        REQUIRE_FALSE(last.ok());
        CHECK(std::string(name(last.error())) == hexOf(s, "error"));
    }
}

TEST_CASE("vector: invalid peer public keys are refused") {
    auto v = guru::test::loadVectors("e2e.json");
    auto agent = keyFrom(v, "agentPrivate");
    for (const auto& k : v["invalidPublicKeys"]) {
        CAPTURE(k["name"].get<std::string>());
        auto secret = agent.agree(fromHex(hexOf(k, "hex")));
        REQUIRE_FALSE(secret.ok());
        CHECK(std::string(name(secret.error())) == hexOf(k, "error"));
    }
}

TEST_CASE("fresh keys: a relay that swaps the key shares is caught by the signature") {
    auto identity = IdentityKey::generate();
    REQUIRE(identity.ok());
    const SessionId session{};
    auto agentSide = AgentHandshake::start(*identity, session, 9);
    REQUIRE(agentSide.ok());
    ViewerHandshake viewerSide(EcdhKeyPair::generate().value(), session, 9);
    auto share = viewerSide.commitReceived(agentSide->commitRecord());
    REQUIRE(share.ok());
    // The relay answers the agent with its own point, so that it shares a key with each side.
    auto relayKey = EcdhKeyPair::generate();
    REQUIRE(relayKey.ok());
    auto finished = agentSide->finish(encodeKeyShare(relayKey->publicKey()));
    REQUIRE(finished.ok());
    // The agent signed a transcript with the relay's point in it; the viewer's has its own.
    auto opened = viewerSide.confirmReceived(finished->confirmRecord);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error() == CryptoError::BadSignature);
    CHECK_FALSE(viewerSide.identity().has_value());
}

TEST_CASE("fresh keys: a confirm before the commit, or a second one, is refused") {
    auto identity = IdentityKey::generate();
    REQUIRE(identity.ok());
    ViewerHandshake early(EcdhKeyPair::generate().value(), SessionId{}, 1);
    CHECK(early.confirmReceived(Bytes(162, std::byte{4})).error() == CryptoError::UnexpectedRecord);
    auto agentSide = AgentHandshake::start(*identity, SessionId{}, 1);
    REQUIRE(agentSide.ok());
    ViewerHandshake viewer(EcdhKeyPair::generate().value(), SessionId{}, 1);
    auto share = viewer.commitReceived(agentSide->commitRecord());
    REQUIRE(share.ok());
    CHECK(viewer.commitReceived(agentSide->commitRecord()).error() == CryptoError::UnexpectedRecord);
    auto finished = agentSide->finish(*share);
    REQUIRE(finished.ok());
    REQUIRE(viewer.confirmReceived(finished->confirmRecord).ok());
    CHECK(viewer.confirmReceived(finished->confirmRecord).error() == CryptoError::UnexpectedRecord);
}

TEST_CASE("ordered records: a gap ends the channel with MissingRecord, for good") {
    auto identity = IdentityKey::generate();
    REQUIRE(identity.ok());
    auto [agent, viewer] = handshake(*identity);
    CHECK(agent.shortAuthString() == viewer.shortAuthString());
    auto k1 = viewer.seal(asBytes("k1")), k2 = viewer.seal(asBytes("k2")), k3 = viewer.seal(asBytes("k3"));
    REQUIRE((k1.ok() && k2.ok() && k3.ok()));
    REQUIRE(agent.open(*k1).ok());
    auto gap = agent.open(*k3);  // k2 deleted by the relay
    REQUIRE_FALSE(gap.ok());
    CHECK(gap.error() == CryptoError::MissingRecord);
    CHECK(agent.broken());
    // Late delivery does not repair it: the channel stays closed.
    CHECK(agent.open(*k2).error() == CryptoError::MissingRecord);
}

TEST_CASE("picture records may skip, on their own counter; going back is a replay") {
    auto identity = IdentityKey::generate();
    REQUIRE(identity.ok());
    auto [agent, viewer] = handshake(*identity);
    auto p1 = agent.seal(asBytes("p1"), RecordStream::Picture);
    auto p2 = agent.seal(asBytes("p2"), RecordStream::Picture);
    auto p3 = agent.seal(asBytes("p3"), RecordStream::Picture);
    auto o1 = agent.seal(asBytes("o1"));
    REQUIRE((p1.ok() && p2.ok() && p3.ok() && o1.ok()));
    CHECK((*p3)[0] == std::byte{0x05});
    CHECK((*o1)[0] == std::byte{0x02});
    auto skipped = viewer.open(*p3);  // p1 and p2 dropped for a slow viewer
    REQUIRE(skipped.ok());
    CHECK(skipped->stream == RecordStream::Picture);
    CHECK(toString(skipped->message) == "p3");
    CHECK(viewer.open(*p2).error() == CryptoError::Replay);
    // The ordered stream is untouched by the skipped pictures: its counter 1 comes next.
    auto ordered = viewer.open(*o1);
    REQUIRE(ordered.ok());
    CHECK(ordered->stream == RecordStream::Ordered);
    // A viewer never sends pictures, and the agent never accepts one.
    CHECK(viewer.seal(asBytes("x"), RecordStream::Picture).error() == CryptoError::UnexpectedRecord);
    CHECK(agent.open(*p1).error() == CryptoError::UnexpectedRecord);
}

TEST_CASE("padding: every input record has the same size, whatever it carries") {
    auto identity = IdentityKey::generate();
    REQUIRE(identity.ok());
    auto [agent, viewer] = handshake(*identity);
    const std::vector<inner::Message> inputs = {
        inner::Key{true, 0, "KeyA", "a"},
        inner::Key{true, inner::Shift, "ShiftLeft", "Shift"},
        inner::Key{false, 0, "MediaTrackPrevious", "MediaTrackPrevious"},
        inner::Key{true, 0, std::string(64, 'C'), std::string(64, 'k')},  // the largest Key there is
        inner::PointerMove{1, 2},
        inner::PointerButton{inner::Button::Left, true},
        inner::Wheel{0, 120},
    };
    std::set<std::size_t> sizes;
    for (const auto& m : inputs) {
        auto plain = inner::encode(m);
        REQUIRE(plain.ok());
        auto sealed = viewer.seal(*plain, RecordStream::Ordered, inner::kInputPlaintextSize);
        REQUIRE(sealed.ok());
        sizes.insert(sealed->size());
        auto opened = agent.open(*sealed);
        REQUIRE(opened.ok());
        CHECK(opened->message == *plain);  // the padding is gone again
    }
    REQUIRE(sizes.size() == 1);
    CHECK(*sizes.begin() == kSealedHeaderSize + inner::kInputPlaintextSize + kTagSize);
    // Unpadded, the sizes would tell a key from a click.
    auto click = viewer.seal(*inner::encode(inner::PointerButton{inner::Button::Left, true}));
    auto key = viewer.seal(*inner::encode(inner::Key{true, 0, "KeyA", "a"}));
    REQUIRE((click.ok() && key.ok()));
    CHECK(click->size() != key->size());
}

TEST_CASE("a copied key pair has the same public key and agrees the same secret, after the original is gone") {
    auto v = guru::test::loadVectors("e2e.json");
    std::optional<EcdhKeyPair> original(keyFrom(v, "agentPrivate"));
    auto copied = original->copy();
    REQUIRE(copied.ok());
    original.reset();  // the copy owns its own S-expression
    CHECK(toHex(copied->publicKey()) == hexOf(v, "agentPublic"));
    auto secret = copied->agree(fromHex(hexOf(v, "viewerPublic")));
    REQUIRE(secret.ok());
    CHECK(toHex(*secret) == hexOf(v, "sharedSecret"));
}

TEST_CASE("private keys outside [1, n-1] are refused") {
    CHECK(EcdhKeyPair::fromPrivate(Bytes(32)).error() == CryptoError::InvalidPrivateKey);
    CHECK(EcdhKeyPair::fromPrivate(Bytes(32, std::byte{0xff})).error() == CryptoError::InvalidPrivateKey);
    CHECK(EcdhKeyPair::fromPrivate(Bytes(31, std::byte{1})).error() == CryptoError::InvalidPrivateKey);
}
