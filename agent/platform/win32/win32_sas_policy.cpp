// SoftwareSASGeneration set and restored around the service's lifetime (win32_sas_policy.h).
#include "platform/win32/win32_sas_policy.h"

#include "platform/win32/win32_agent_config.h"

namespace guru::platform::win32 {

using service::ServiceError;

namespace {

constexpr wchar_t kPolicyValue[] = L"SoftwareSASGeneration";
constexpr wchar_t kMemoValue[] = L"SasPolicyPrevious";

std::optional<DWORD> readValue(const RegistryLocation& at, const wchar_t* name) {
    UniqueKey key;
    if (openKeyForReading(at, key) != ERROR_SUCCESS) return std::nullopt;
    return readDword(key.get(), name);
}

}  // namespace

RegistryLocation sasPolicyLocation() {
    return {HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System"};
}

RegistryLocation sasMemoLocation() { return {HKEY_LOCAL_MACHINE, L"SOFTWARE\\GuruConnect\\SasPolicy"}; }

DWORD sasPolicyWithServices(std::optional<DWORD> current) {
    if (current == kSasServices || current == kSasBoth) return *current;
    return current == 2 ? kSasBoth : kSasServices;
}

Result<bool, ServiceError> allowServiceSas(const RegistryLocation& policy, const RegistryLocation& memo) {
    const std::optional<DWORD> current = readValue(policy, kPolicyValue);
    const DWORD wanted = sasPolicyWithServices(current);
    UniqueKey memoKey;
    if (LSTATUS s = createKey(memo, memoKey); s != ERROR_SUCCESS) return Failure{serviceErrorFrom(s, ServiceError::RegistryFailed)};
    if (!readDword(memoKey.get(), kMemoValue)) {
        if (LSTATUS s = setDword(memoKey.get(), kMemoValue, current.value_or(kSasWasAbsent)); s != ERROR_SUCCESS) {
            return Failure{serviceErrorFrom(s, ServiceError::RegistryFailed)};
        }
    }
    if (current == wanted) return false;
    UniqueKey policyKey;
    if (LSTATUS s = createKey(policy, policyKey); s != ERROR_SUCCESS) return Failure{serviceErrorFrom(s, ServiceError::RegistryFailed)};
    if (LSTATUS s = setDword(policyKey.get(), kPolicyValue, wanted); s != ERROR_SUCCESS) {
        return Failure{serviceErrorFrom(s, ServiceError::RegistryFailed)};
    }
    return true;
}

Result<bool, ServiceError> restoreServiceSas(const RegistryLocation& policy, const RegistryLocation& memo) {
    const std::optional<DWORD> previous = readValue(memo, kMemoValue);
    if (!previous) return false;
    UniqueKey policyKey;
    if (LSTATUS s = createKey(policy, policyKey); s != ERROR_SUCCESS) return Failure{serviceErrorFrom(s, ServiceError::RegistryFailed)};
    const LSTATUS s = *previous == kSasWasAbsent ? RegDeleteValueW(policyKey.get(), kPolicyValue)
                                                 : setDword(policyKey.get(), kPolicyValue, *previous);
    if (s != ERROR_SUCCESS && s != ERROR_FILE_NOT_FOUND) return Failure{serviceErrorFrom(s, ServiceError::RegistryFailed)};
    return true;
}

}  // namespace guru::platform::win32
