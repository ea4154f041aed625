// The agent's Ed25519 identity key: RFC 8032 §7.1 TEST 1 and 2 for derivation and signing,
// round trips through the trailer's verifier (support::verifyEd25519), and the AgentProof of
// protocol/vectors/identity.json.
#include <doctest/doctest.h>

#include "core/agent_proof.h"
#include "core/identity_key.h"
#include "core/trailer_signature.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::crypto;
using guru::test::fromHex;
using guru::test::toHex;

namespace {

constexpr const char* kTest1Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr const char* kTest1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
// TEST 1 signs the empty message; TEST 2 is one byte 0x72 under its own key.
constexpr const char* kTest1Signature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
constexpr const char* kTest2Seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
constexpr const char* kTest2Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr const char* kTest2Signature =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

std::string hex(ByteView b) { return toHex(b); }

IdentityKey keyFromSeed(const char* seedHex) {
    auto key = IdentityKey::fromSeed(fromHex(seedHex));
    REQUIRE(key.ok());
    return std::move(*key);
}

}  // namespace

TEST_CASE("fromSeed derives the RFC 8032 TEST 1 and TEST 2 public keys") {
    CHECK(hex(keyFromSeed(kTest1Seed).publicKey()) == kTest1Public);
    CHECK(hex(keyFromSeed(kTest2Seed).publicKey()) == kTest2Public);
    CHECK(hex(keyFromSeed(kTest1Seed).seed()) == kTest1Seed);
}

TEST_CASE("sign gives the RFC 8032 signatures") {
    auto empty = keyFromSeed(kTest1Seed).sign({});
    REQUIRE(empty.ok());
    CHECK(hex(*empty) == kTest1Signature);
    const Bytes message = fromHex("72");
    auto one = keyFromSeed(kTest2Seed).sign(message);
    REQUIRE(one.ok());
    CHECK(hex(*one) == kTest2Signature);
}

TEST_CASE("a seed of the wrong length is refused") {
    CHECK(IdentityKey::fromSeed(fromHex("9d61")).error() == CryptoError::InvalidPrivateKey);
    CHECK(IdentityKey::fromSeed(Bytes(33, std::byte{1})).error() == CryptoError::InvalidPrivateKey);
}

TEST_CASE("a generated key signs what verifyEd25519 accepts, and only that message") {
    auto key = IdentityKey::generate();
    REQUIRE(key.ok());
    const auto message = asBytes("guruconnect agent proof v1 / test");
    auto signature = key->sign(message);
    REQUIRE(signature.ok());
    CHECK(support::verifyEd25519(key->publicKey(), message, *signature) == support::SignatureCheck::Valid);
    CHECK(support::verifyEd25519(key->publicKey(), asBytes("guruconnect agent proof v1 / tesT"),
                                 *signature) == support::SignatureCheck::Invalid);
    auto tampered = *signature;
    tampered[40] ^= std::byte{0x01};
    CHECK(support::verifyEd25519(key->publicKey(), message, tampered) == support::SignatureCheck::Invalid);
}

TEST_CASE("fresh keys differ, and a key rebuilt from its seed is the same key") {
    auto a = IdentityKey::generate();
    auto b = IdentityKey::generate();
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->publicKey() != b->publicKey());
    CHECK(a->seed() != b->seed());
    auto again = IdentityKey::fromSeed(a->seed());
    REQUIRE(again.ok());
    CHECK(again->publicKey() == a->publicKey());
    const auto message = asBytes("same key");
    auto signature = again->sign(message);
    REQUIRE(signature.ok());
    CHECK(support::verifyEd25519(a->publicKey(), message, *signature) == support::SignatureCheck::Valid);
    CHECK(support::verifyEd25519(b->publicKey(), message, *signature) == support::SignatureCheck::Invalid);
}

TEST_CASE("AgentProof against protocol/vectors/identity.json") {
    auto v = guru::test::loadVectors("identity.json");
    auto key = keyFromSeed(v["seed"].get<std::string>().c_str());
    CHECK(hex(key.publicKey()) == v["identityKey"].get<std::string>());
    CHECK(hex(asBytes(crypto::kAgentProofLabel)) == v["label"].get<std::string>());
    envelope::Id128 agentId{};
    envelope::AgentChallenge challenge;
    const Bytes id = fromHex(v["agentId"].get<std::string>());
    const Bytes nonce = fromHex(v["nonce"].get<std::string>());
    REQUIRE(id.size() == agentId.size());
    REQUIRE(nonce.size() == challenge.nonce.size());
    std::copy(id.begin(), id.end(), agentId.begin());
    std::copy(nonce.begin(), nonce.end(), challenge.nonce.begin());
    CHECK(hex(agentProofMessage(agentId, challenge, key.publicKey())) == v["message"].get<std::string>());
    auto proof = proveAgent(key, agentId, challenge);
    REQUIRE(proof.ok());
    CHECK(hex(proof->identityKey) == v["identityKey"].get<std::string>());
    CHECK(hex(proof->signature) == v["signature"].get<std::string>());
    CHECK(support::verifyEd25519(proof->identityKey, fromHex(v["message"].get<std::string>()), proof->signature) ==
          support::SignatureCheck::Valid);
    REQUIRE(v["refused"].size() >= 4);
    for (const auto& refused : v["refused"]) {
        CAPTURE(refused["name"].get<std::string>());
        CHECK(support::verifyEd25519(fromHex(refused["identityKey"].get<std::string>()),
                                     fromHex(refused["message"].get<std::string>()),
                                     fromHex(refused["signature"].get<std::string>())) ==
              support::SignatureCheck::Invalid);
    }
}
