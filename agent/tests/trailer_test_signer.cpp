// Test-only Ed25519 signing with libgcrypt (trailer_test_signer.h).
#include "tests/trailer_test_signer.h"

#include <algorithm>

#include "core/gcrypt_handles.h"
#include "core/support_config.h"

namespace guru::support::testing {
namespace {

TestKey keyFromHex(std::string_view seed, std::string_view publicKey) {
    TestKey key;
    const Bytes s = fromHex(seed);
    const Bytes p = fromHex(publicKey);
    std::copy_n(s.begin(), key.seed.size(), key.seed.begin());
    std::copy_n(p.begin(), key.publicKey.size(), key.publicKey.begin());
    return key;
}

// The 32 bytes of `name` ("r" or "s") in a signature S-expression, left-padded.
bool copyPart(gcry_sexp_t signature, const char* name, std::byte* out) {
    crypto::Sexp part(gcry_sexp_find_token(signature, name, 0));
    if (!part) return false;
    std::size_t length = 0;
    const char* data = gcry_sexp_nth_data(part.get(), 1, &length);
    if (!data || length > 32) return false;
    std::fill_n(out, 32 - length, std::byte{0});
    std::copy_n(reinterpret_cast<const std::byte*>(data), length, out + (32 - length));
    return true;
}

}  // namespace

TestKey rfc8032Key1() {
    return keyFromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
}

TestKey rfc8032Key2() {
    return keyFromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
}

Bytes fromHex(std::string_view hex) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<std::byte>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    }
    return out;
}

Bytes signEd25519(const TestKey& key, ByteView message) {
    if (!crypto::ensureInitialised()) return {};
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr,
                        "(private-key (ecc (curve Ed25519) (flags eddsa) (q %b) (d %b)))", 32,
                        key.publicKey.data(), 32, key.seed.data())) {
        return {};
    }
    crypto::Sexp privateKey(raw);
    raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(data (flags eddsa) (hash-algo sha512) (value %b))",
                        static_cast<int>(message.size()), message.data())) {
        return {};
    }
    crypto::Sexp data(raw);
    raw = nullptr;
    if (gcry_pk_sign(&raw, data.get(), privateKey.get())) return {};
    crypto::Sexp signature(raw);
    Bytes out(64);
    if (!copyPart(signature.get(), "r", out.data()) || !copyPart(signature.get(), "s", out.data() + 32)) {
        return {};
    }
    return out;
}

Bytes keySlot(const PublicKey& key) {
    const auto magic = keySlotMagic();
    Bytes slot(magic.begin(), magic.end());
    slot.insert(slot.end(), key.begin(), key.end());
    return slot;
}

Bytes binaryWithSlot(const PublicKey& key, std::size_t before) {
    Bytes binary(before, std::byte{0x7f});
    const Bytes slot = keySlot(key);
    binary.insert(binary.end(), slot.begin(), slot.end());
    binary.insert(binary.end(), 300, std::byte{0x5a});
    return binary;
}

Bytes signedFile(Bytes binary, std::string_view json, const TestKey& signer) {
    const Bytes signature = signEd25519(signer, signedMessage(json));
    const Bytes trailer = makeTrailer(json, signature);
    binary.insert(binary.end(), trailer.begin(), trailer.end());
    return binary;
}

}  // namespace guru::support::testing
