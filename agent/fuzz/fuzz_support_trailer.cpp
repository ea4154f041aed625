// libFuzzer target: the support trailer parser (docs/support.md §4) must never crash,
// over-read or throw on any file, whether it stops at the footer, the key slot, the
// signature or the JSON; an accepted config must satisfy every field rule.
#include <cstdint>
#include <cstdlib>

#include "core/support_config.h"
#include "tests/trailer_test_signer.h"

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
    static const testing::TestKey key = testing::rfc8032Key1();
    static const guru::Bytes binary = testing::binaryWithSlot(key.publicKey, 16);
    const std::string json = guru::toString(input);
    auto bare = parseConfigJson(json);
    auto wrapped = parseTrailer(testing::signedFile(binary, json, key));
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
