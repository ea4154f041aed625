// E2E channel against protocol/vectors/e2e.json (generated with OpenSSL via pyca/cryptography),
// plus round trips, tampering, replay and wrong keys with fresh random keys.
#include <doctest/doctest.h>

#include "core/e2e_channel.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::crypto;
using guru::test::fromHex;
using guru::test::toHex;

namespace {

std::string hexOf(const nlohmann::json& v, const char* key) { return v[key].get<std::string>(); }

EcdhKeyPair keyFrom(const nlohmann::json& v, const char* key) {
    auto k = EcdhKeyPair::fromPrivate(fromHex(hexOf(v, key)));
    REQUIRE(k.ok());
    return std::move(*k);
}

SessionKeys sessionKeys(const nlohmann::json& v) {
    auto agent = keyFrom(v, "agentPrivate");
    auto secret = agent.agree(fromHex(hexOf(v, "viewerPublic")));
    REQUIRE(secret.ok());
    PublicKey a{}, b{};
    auto ab = fromHex(hexOf(v, "agentPublic")), vb = fromHex(hexOf(v, "viewerPublic"));
    std::copy(ab.begin(), ab.end(), a.begin());
    std::copy(vb.begin(), vb.end(), b.begin());
    auto keys = deriveSessionKeys(*secret, a, b);
    REQUIRE(keys.ok());
    return *keys;
}

E2eChannel channel(Role role, const SessionKeys& keys) {
    auto c = E2eChannel::fromKeys(role, keys);
    REQUIRE(c.ok());
    return std::move(*c);
}

}  // namespace

TEST_CASE("vector: public keys from the fixed private keys") {
    auto v = guru::test::loadVectors("e2e.json");
    CHECK(toHex(keyFrom(v, "agentPrivate").publicKey()) == hexOf(v, "agentPublic"));
    CHECK(toHex(keyFrom(v, "viewerPrivate").publicKey()) == hexOf(v, "viewerPublic"));
    CHECK(toHex(encodeKeyShare(keyFrom(v, "agentPrivate").publicKey())) ==
          hexOf(v, "keyShareAgent"));
}

TEST_CASE("vector: shared secret is the same x coordinate from both sides") {
    auto v = guru::test::loadVectors("e2e.json");
    auto fromAgent = keyFrom(v, "agentPrivate").agree(fromHex(hexOf(v, "viewerPublic")));
    auto fromViewer = keyFrom(v, "viewerPrivate").agree(fromHex(hexOf(v, "agentPublic")));
    REQUIRE(fromAgent.ok());
    REQUIRE(fromViewer.ok());
    CHECK(toHex(*fromAgent) == hexOf(v, "sharedSecret"));
    CHECK(toHex(*fromViewer) == hexOf(v, "sharedSecret"));
}

TEST_CASE("vector: HKDF keys, transcript hash and fingerprint") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    CHECK(toHex(keys.transcriptHash) == hexOf(v, "transcriptHash"));
    CHECK(toHex(keys.agentToViewer) == hexOf(v, "keyAgentToViewer"));
    CHECK(toHex(keys.viewerToAgent) == hexOf(v, "keyViewerToAgent"));
    CHECK(fingerprint(keys.transcriptHash) == hexOf(v, "fingerprint"));
    // Independent HKDF call with the documented salt and info.
    auto direct = hkdfSha256(fromHex(hexOf(v, "sharedSecret")), fromHex(hexOf(v, "hkdfSalt")),
                             fromHex(hexOf(v, "infoAgentToViewer")));
    REQUIRE(direct.ok());
    CHECK(toHex(*direct) == hexOf(v, "keyAgentToViewer"));
}

TEST_CASE("vector: sealing reproduces every record, opening returns the plaintext") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    auto agent = channel(Role::Agent, keys);
    auto viewer = channel(Role::Viewer, keys);
    auto agentRx = channel(Role::Agent, keys);
    auto viewerRx = channel(Role::Viewer, keys);
    REQUIRE(v["records"].size() == 5);
    for (const auto& r : v["records"]) {
        bool fromAgent = r["direction"] == "agentToViewer";
        Bytes plaintext = fromHex(hexOf(r, "plaintext"));
        auto sealed = (fromAgent ? agent : viewer).seal(plaintext);
        REQUIRE(sealed.ok());
        CHECK(toHex(*sealed) == hexOf(r, "sealed"));
        CHECK(toHex(ByteView(*sealed).first(kSealedHeaderSize)) == hexOf(r, "aad"));
        auto opened = (fromAgent ? viewerRx : agentRx).open(fromHex(hexOf(r, "sealed")));
        REQUIRE(opened.ok());
        CHECK(toHex(*opened) == hexOf(r, "plaintext"));
    }
    // Replaying any record that was already accepted fails.
    for (const auto& r : v["records"]) {
        bool fromAgent = r["direction"] == "agentToViewer";
        auto again = (fromAgent ? viewerRx : agentRx).open(fromHex(hexOf(r, "sealed")));
        REQUIRE_FALSE(again.ok());
        CHECK(std::string(name(again.error())) == hexOf(v, "replayError"));
    }
}

TEST_CASE("vector: tampered and misdirected records are rejected") {
    auto v = guru::test::loadVectors("e2e.json");
    auto keys = sessionKeys(v);
    REQUIRE(v["rejections"].size() >= 5);
    for (const auto& r : v["rejections"]) {
        CAPTURE(r["name"].get<std::string>());
        // The receiver of agentToViewer records is the viewer.
        auto rx = channel(r["direction"] == "agentToViewer" ? Role::Viewer : Role::Agent, keys);
        auto opened = rx.open(fromHex(hexOf(r, "sealed")));
        REQUIRE_FALSE(opened.ok());
        CHECK(std::string(name(opened.error())) == hexOf(r, "error"));
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

TEST_CASE("fresh keys: both ends agree, and a different viewer key cannot open") {
    auto agentKey = EcdhKeyPair::generate();
    auto viewerKey = EcdhKeyPair::generate();
    auto intruderKey = EcdhKeyPair::generate();
    REQUIRE((agentKey.ok() && viewerKey.ok() && intruderKey.ok()));
    CHECK(agentKey->publicKey() != viewerKey->publicKey());

    auto agent = E2eChannel::establish(Role::Agent, *agentKey, viewerKey->publicKey());
    auto viewer = E2eChannel::establish(Role::Viewer, *viewerKey, agentKey->publicKey());
    auto intruder = E2eChannel::establish(Role::Viewer, *intruderKey, agentKey->publicKey());
    REQUIRE((agent.ok() && viewer.ok() && intruder.ok()));
    CHECK(agent->fingerprint() == viewer->fingerprint());
    CHECK(agent->fingerprint() != intruder->fingerprint());

    for (int i = 0; i < 50; ++i) {
        Bytes msg(static_cast<std::size_t>(i * 37), std::byte(i));
        auto sealed = agent->seal(msg);
        REQUIRE(sealed.ok());
        CHECK(sealed->size() == msg.size() + kSealedHeaderSize + kTagSize);
        auto opened = viewer->open(*sealed);
        REQUIRE(opened.ok());
        CHECK(*opened == msg);
        auto stolen = intruder->open(*sealed);
        REQUIRE_FALSE(stolen.ok());
        CHECK(stolen.error() == CryptoError::AuthenticationFailed);
    }
    // Viewer to agent uses the other key: the agent's own sender cannot be reflected.
    auto up = viewer->seal(asBytes("up"));
    REQUIRE(up.ok());
    auto reflected = viewer->open(*up);
    CHECK_FALSE(reflected.ok());
    auto opened = agent->open(*up);
    REQUIRE(opened.ok());
    CHECK(toString(*opened) == "up");
}

TEST_CASE("gaps are allowed (the relay may drop stale frames), going back is not") {
    auto a = EcdhKeyPair::generate();
    auto b = EcdhKeyPair::generate();
    REQUIRE((a.ok() && b.ok()));
    auto tx = E2eChannel::establish(Role::Agent, *a, b->publicKey());
    auto rx = E2eChannel::establish(Role::Viewer, *b, a->publicKey());
    REQUIRE((tx.ok() && rx.ok()));
    auto r1 = tx->seal(asBytes("1")), r2 = tx->seal(asBytes("2")), r3 = tx->seal(asBytes("3"));
    REQUIRE((r1.ok() && r2.ok() && r3.ok()));
    CHECK(rx->open(*r3).ok());  // skipped 1 and 2
    auto old = rx->open(*r2);
    REQUIRE_FALSE(old.ok());
    CHECK(old.error() == CryptoError::Replay);
    // A forged record does not advance the window.
    Bytes forged = *r3;
    forged[8] = std::byte{0x7f};  // counter 127, tag no longer matches
    CHECK(rx->open(forged).error() == CryptoError::AuthenticationFailed);
    auto r4 = tx->seal(asBytes("4"));
    REQUIRE(r4.ok());
    CHECK(rx->open(*r4).ok());
}

TEST_CASE("private keys outside [1, n-1] are refused") {
    CHECK(EcdhKeyPair::fromPrivate(Bytes(32)).error() == CryptoError::InvalidPrivateKey);
    CHECK(EcdhKeyPair::fromPrivate(Bytes(32, std::byte{0xff})).error() ==
          CryptoError::InvalidPrivateKey);
    CHECK(EcdhKeyPair::fromPrivate(Bytes(31, std::byte{1})).error() ==
          CryptoError::InvalidPrivateKey);
}
