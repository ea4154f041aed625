// The unattended agent's identity key in the registry (platform/identity_store.h), protected
// by DPAPI like the credential: for the installed agent, the value IdentitySeed beside the
// credential in HKLM\SOFTWARE\GuruConnect\Agent (SYSTEM and Administrators only); for an agent
// run from a console, HKCU\SOFTWARE\GuruConnect\Identity, one value per agent id.
#include <algorithm>
#include <cctype>
#include <string>

#include "platform/identity_store.h"
#include "platform/win32/win32_agent_config.h"
#include "platform/win32/win32_registry.h"
#include "platform/win32/win32_text.h"

namespace guru::platform {
namespace {

using win32::RegistryLocation;
using win32::UniqueKey;

std::string normalisedId(std::string id) {
    id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
    std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return id;
}

// Where this agent's seed lives: the installed configuration when it is this agent's.
struct Place {
    RegistryLocation at;
    std::wstring value;
    const wchar_t* sddl = nullptr;
};

Place placeFor(const std::string& agentIdHex) {
    UniqueKey installed;
    if (win32::openKeyForReading(win32::installedConfigLocation(), installed) == ERROR_SUCCESS) {
        auto id = win32::readString(installed.get(), L"AgentId");
        if (id && normalisedId(win32::narrow(*id)) == agentIdHex) {
            return {win32::installedConfigLocation(), L"IdentitySeed", win32::kConfigKeySddl};
        }
    }
    return {{HKEY_CURRENT_USER, L"SOFTWARE\\GuruConnect\\Identity"}, win32::widen(agentIdHex), nullptr};
}

std::string toHex(ByteView bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::byte b : bytes) {
        out += kDigits[static_cast<unsigned>(b) >> 4];
        out += kDigits[static_cast<unsigned>(b) & 0xF];
    }
    return out;
}

Result<crypto::IdentityKey, IdentityStoreError> fromHexSeed(const std::string& text) {
    if (text.size() != 64) return Failure{IdentityStoreError::Corrupt};
    crypto::IdentitySeed seed{};
    auto nibble = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    for (std::size_t i = 0; i < seed.size(); ++i) {
        const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return Failure{IdentityStoreError::Corrupt};
        seed[i] = static_cast<std::byte>(hi * 16 + lo);
    }
    auto key = crypto::IdentityKey::fromSeed(seed);
    if (!key) return Failure{IdentityStoreError::CryptoFailed};
    return std::move(*key);
}

}  // namespace

Result<crypto::IdentityKey, IdentityStoreError> loadOrCreateIdentity(const IdentityStoreOptions& options,
                                                                     const LogSink& log) {
    if (options.agentIdHex.size() != 32) return Failure{IdentityStoreError::NoLocation};
    const Place place = placeFor(options.agentIdHex);
    UniqueKey readable;
    if (win32::openKeyForReading(place.at, readable) == ERROR_SUCCESS) {
        if (auto blob = win32::readBinary(readable.get(), place.value.c_str())) {
            auto seed = win32::unprotectCredential(*blob);
            if (!seed) return Failure{IdentityStoreError::Unreadable};
            return fromHexSeed(*seed);
        }
    }
    auto key = crypto::IdentityKey::generate();
    if (!key) return Failure{IdentityStoreError::CryptoFailed};
    // The credential's DPAPI protection (machine scope, fixed entropy) and the key's ACL.
    auto blob = win32::protectCredential(toHex(key->seed()));
    if (!blob) return Failure{IdentityStoreError::CryptoFailed};
    UniqueKey writable;
    if (win32::createKey(place.at, writable, place.sddl) != ERROR_SUCCESS ||
        win32::setBinary(writable.get(), place.value.c_str(), *blob) != ERROR_SUCCESS) {
        return Failure{IdentityStoreError::Unwritable};
    }
    if (log) log("identity: created a new identity key (DPAPI, " + win32::narrow(place.value) + ")");
    return std::move(*key);
}

}  // namespace guru::platform
