// The installed configuration in HKLM and the credential's DPAPI protection
// (win32_agent_config.h).
#include "platform/win32/win32_agent_config.h"

#include <wincrypt.h>

#include <cstring>

#include "core/machine_metadata.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

using service::AgentConfig;
using service::ServiceError;

namespace {

// Mixed into DPAPI so that a blob made for something else does not decrypt as ours.
constexpr char kEntropy[] = "GuruConnect agent credential v1";

DATA_BLOB blobOf(const void* data, std::size_t size) {
    return DATA_BLOB{static_cast<DWORD>(size), static_cast<BYTE*>(const_cast<void*>(data))};
}

// Owns what CryptProtectData/CryptUnprotectData allocate (LocalFree), wiping it first.
struct DpapiOutput {
    DATA_BLOB blob{0, nullptr};
    ~DpapiOutput() {
        if (blob.pbData) {
            SecureZeroMemory(blob.pbData, blob.cbData);
            LocalFree(blob.pbData);
        }
    }
};

}  // namespace

ServiceError serviceErrorFrom(DWORD win32Error, ServiceError otherwise) {
    return win32Error == ERROR_ACCESS_DENIED ? ServiceError::AccessDenied : otherwise;
}

RegistryLocation installedConfigLocation() { return {HKEY_LOCAL_MACHINE, L"SOFTWARE\\GuruConnect\\Agent"}; }

RegistryLocation installedServerLocation() { return {HKEY_LOCAL_MACHINE, L"SOFTWARE\\GuruConnect\\Server"}; }

Result<std::vector<std::byte>, ServiceError> protectCredential(std::string_view credential) {
    DATA_BLOB in = blobOf(credential.data(), credential.size());
    DATA_BLOB entropy = blobOf(kEntropy, sizeof kEntropy - 1);
    DpapiOutput out;
    if (!CryptProtectData(&in, L"GuruConnect agent credential", &entropy, nullptr, nullptr,
                          CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &out.blob)) {
        return Failure{ServiceError::ProtectFailed};
    }
    const auto* bytes = reinterpret_cast<const std::byte*>(out.blob.pbData);
    return std::vector<std::byte>(bytes, bytes + out.blob.cbData);
}

Result<std::string, ServiceError> unprotectCredential(std::span<const std::byte> blob) {
    if (blob.empty()) return Failure{ServiceError::ConfigInvalid};
    DATA_BLOB in = blobOf(blob.data(), blob.size());
    DATA_BLOB entropy = blobOf(kEntropy, sizeof kEntropy - 1);
    DpapiOutput out;
    if (!CryptUnprotectData(&in, nullptr, &entropy, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out.blob)) {
        return Failure{ServiceError::ConfigInvalid};
    }
    return std::string(reinterpret_cast<const char*>(out.blob.pbData), out.blob.cbData);
}

Outcome<ServiceError> writeAgentConfig(const RegistryLocation& at, const AgentConfig& config, const wchar_t* sddl) {
    auto credential = protectCredential(config.credential);
    if (!credential) return Failure{credential.error()};
    UniqueKey key;
    LSTATUS status = createKey(at, key, sddl);
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    const struct {
        const wchar_t* name;
        const std::string& value;
    } strings[] = {{L"Server", config.server}, {L"AgentId", config.agentId}, {L"CaFile", config.caFile}};
    for (const auto& s : strings) {
        if (status == ERROR_SUCCESS) status = setString(key.get(), s.name, widen(s.value));
    }
    if (status == ERROR_SUCCESS) status = setDword(key.get(), L"PinCa", config.pinCa ? 1 : 0);
    if (status == ERROR_SUCCESS) status = setBinary(key.get(), L"Credential", *credential);
    // An enrolled agent's metadata, one JSON value (core/machine_metadata.h) --reconfigure rewrites.
    if (status == ERROR_SUCCESS) status = setDword(key.get(), L"Enrolled", config.enrolled ? 1 : 0);
    if (status == ERROR_SUCCESS && config.enrolled) {
        status = setString(key.get(), L"Metadata", widen(inventory::toJson(config.metadata)));
    }
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    return Unit{};
}

Outcome<ServiceError> writeAgentServer(const RegistryLocation& at, const AgentConfig& config, const wchar_t* sddl) {
    UniqueKey key;
    LSTATUS status = createKey(at, key, sddl);
    if (status == ERROR_SUCCESS) status = setString(key.get(), L"Server", widen(config.server));
    if (status == ERROR_SUCCESS) status = setString(key.get(), L"CaFile", widen(config.caFile));
    if (status == ERROR_SUCCESS) status = setDword(key.get(), L"PinCa", config.pinCa ? 1 : 0);
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    return Unit{};
}

Result<AgentConfig, ServiceError> readAgentConfig(const RegistryLocation& at) {
    UniqueKey key;
    const LSTATUS status = openKeyForReading(at, key);
    if (status == ERROR_FILE_NOT_FOUND) return Failure{ServiceError::ConfigMissing};
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    auto server = readString(key.get(), L"Server");
    auto agentId = readString(key.get(), L"AgentId");
    auto caFile = readString(key.get(), L"CaFile");
    auto pinCa = readDword(key.get(), L"PinCa");
    auto blob = readBinary(key.get(), L"Credential");
    if (!server || !agentId || !blob) return Failure{ServiceError::ConfigInvalid};
    auto credential = unprotectCredential(*blob);
    if (!credential) return Failure{credential.error()};
    AgentConfig config;
    config.server = narrow(*server);
    config.agentId = narrow(*agentId);
    config.credential = std::move(*credential);
    config.caFile = caFile ? narrow(*caFile) : std::string();
    config.pinCa = pinCa.value_or(0) != 0;
    config.enrolled = readDword(key.get(), L"Enrolled").value_or(0) != 0;
    if (config.enrolled) {
        auto text = readString(key.get(), L"Metadata");
        auto metadata = inventory::metadataFromJson(text ? narrow(*text) : std::string("{}"));
        if (!metadata) return Failure{ServiceError::ConfigInvalid};
        config.metadata = std::move(*metadata);
    }
    return config;
}

Result<service::InstalledServer, ServiceError> readAgentServer(const RegistryLocation& at) {
    UniqueKey key;
    const LSTATUS status = openKeyForReading(at, key);
    if (status == ERROR_FILE_NOT_FOUND) return Failure{ServiceError::ConfigMissing};
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    auto server = readString(key.get(), L"Server");
    if (!server || server->empty()) return Failure{ServiceError::ConfigInvalid};
    auto caFile = readString(key.get(), L"CaFile");
    service::InstalledServer out;
    out.server = narrow(*server);
    out.caFile = caFile ? narrow(*caFile) : std::string();
    out.pinCa = readDword(key.get(), L"PinCa").value_or(0) != 0;
    return out;
}

Result<bool, ServiceError> deleteAgentConfig(const RegistryLocation& at) {
    LSTATUS status = ERROR_SUCCESS;
    const bool existed = deleteTree(at, status);
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    return existed;
}

}  // namespace guru::platform::win32

namespace guru::platform::service {

Result<AgentConfig, ServiceError> readInstalledConfig() {
    return win32::readAgentConfig(win32::installedConfigLocation());
}

Result<InstalledServer, ServiceError> installedServer() {
    return win32::readAgentServer(win32::installedServerLocation());
}

}  // namespace guru::platform::service
