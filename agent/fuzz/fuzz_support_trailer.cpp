// libFuzzer target: the support trailer parser (docs/support.md §4) must never crash,
// over-read or throw on any file, whether it stops at the footer, the key slot, the
// signature or the JSON; an accepted config must satisfy every field rule.
//
// The server's part, signing the input as a config, is nettle's Ed25519: it makes the same
// (deterministic) signatures as libgcrypt's, checked once at start, in a twelfth of the time
// (51 µs against 604 µs here), and libgcrypt's signing had been a third of each input's
// time. What is under test, the agent's libgcrypt verification, runs on every input.
#include <nettle/eddsa.h>

#include <cstdint>
#include <cstdlib>

#include "core/support_config.h"
#include "tests/trailer_test_signer.h"

namespace {

using guru::support::testing::TestKey;

guru::Bytes signWithNettle(const TestKey& key, guru::ByteView message) {
    guru::Bytes signature(ED25519_SIGNATURE_SIZE);
    ed25519_sha512_sign(reinterpret_cast<const std::uint8_t*>(key.publicKey.data()),
                        reinterpret_cast<const std::uint8_t*>(key.seed.data()), message.size(),
                        reinterpret_cast<const std::uint8_t*>(message.data()),
                        reinterpret_cast<std::uint8_t*>(signature.data()));
    return signature;
}

// `binary` followed by the trailer for `json` (tests/trailer_test_signer.h's signedFile).
guru::Bytes nettleSignedFile(guru::Bytes binary, std::string_view json, const TestKey& key) {
    const guru::Bytes trailer = guru::support::makeTrailer(json, signWithNettle(key, guru::support::signedMessage(json)));
    binary.insert(binary.end(), trailer.begin(), trailer.end());
    return binary;
}

TestKey checkedKey() {
    TestKey key = guru::support::testing::rfc8032Key1();
    const guru::Bytes message = guru::support::signedMessage(R"({"check":"nettle and libgcrypt agree"})");
    if (signWithNettle(key, message) != guru::support::testing::signEd25519(key, message)) std::abort();
    return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace guru::support;
    guru::ByteView input(reinterpret_cast<const std::byte*>(data), size);
    auto check = [](const auto& parsed) {
        if (parsed && (parsed->sessionHex.size() != 32 || parsed->code.size() != 6 ||
                       parsed->secret.empty() || parsed->secret.size() > kMaxSecret ||
                       parsed->agentUrl.host.empty())) {
            std::abort();
        }
    };
    // The input as a whole file: footer, slot search and (rarely) the signature check.
    check(parseTrailer(input));

    // The input as JSON, signed and appended to a stamped binary: it passes the signature
    // check, so the JSON rules decide, exactly as for the bare JSON.
    static const TestKey key = checkedKey();
    static const guru::Bytes binary = testing::binaryWithSlot(key.publicKey, 16);
    const std::string json = guru::toString(input);
    auto bare = parseConfigJson(json);
    auto wrapped = parseTrailer(nettleSignedFile(binary, json, key));
    check(wrapped);
    if (!json.empty() && json.size() <= kMaxConfigJson && bare.ok() != wrapped.ok()) std::abort();

    // The same file with the input as the signature: a forged signature is never accepted.
    if (size == kSignatureSize) {
        guru::Bytes forged = binary;
        const guru::Bytes trailer = makeTrailer("{}", input);
        forged.insert(forged.end(), trailer.begin(), trailer.end());
        auto r = parseTrailer(forged);
        if (r.ok() || r.error().error != TrailerError::BadSignature) std::abort();
    }
    return 0;
}
