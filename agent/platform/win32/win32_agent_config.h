// The installed agent's configuration in the registry (HKLM\SOFTWARE\GuruConnect\Agent):
// Server, AgentId, CaFile (REG_SZ), PinCa (REG_DWORD) and Credential (REG_BINARY, a DPAPI
// blob, never the token in clear); an enrolled agent adds Enrolled (REG_DWORD 1) and Metadata
// (REG_SZ, the metadata's JSON, core/machine_metadata.h).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/service.h"
#include "platform/win32/win32_registry.h"

namespace guru::platform::win32 {

/// HKLM\SOFTWARE\GuruConnect\Agent, where --install stores the configuration.
RegistryLocation installedConfigLocation();

/// HKLM\SOFTWARE\GuruConnect\Server: the server alone (no credential), readable by every
/// user, for the guruconnect:// handler, which runs as the user who clicks the link.
RegistryLocation installedServerLocation();

/// That key's DACL: SYSTEM and Administrators write, Users read.
inline constexpr wchar_t kServerKeySddl[] = L"D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)(A;OICI;KR;;;BU)";

/// The configuration key's DACL: SYSTEM and Administrators only. Machine-scope DPAPI lets
/// any local account decrypt the blob, so this ACL is what keeps other users out.
inline constexpr wchar_t kConfigKeySddl[] = L"D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)";

/// The credential through DPAPI (CryptProtectData, CRYPTPROTECT_LOCAL_MACHINE: the
/// LocalSystem service reads what an administrator wrote), with a fixed entropy.
Result<std::vector<std::byte>, service::ServiceError> protectCredential(std::string_view credential);
/// The reverse; ConfigInvalid when the blob does not decrypt.
Result<std::string, service::ServiceError> unprotectCredential(std::span<const std::byte> blob);

/// Writes every value (the credential protected) under `at`, restricted by `sddl` when set.
Outcome<service::ServiceError> writeAgentConfig(const RegistryLocation& at, const service::AgentConfig& config,
                                                const wchar_t* sddl = kConfigKeySddl);
/// Writes Server, CaFile and PinCa only (never the credential) under `at`.
Outcome<service::ServiceError> writeAgentServer(const RegistryLocation& at, const service::AgentConfig& config,
                                                const wchar_t* sddl = kServerKeySddl);
/// Reads it back: ConfigMissing if the key is absent, ConfigInvalid if a value is.
Result<service::AgentConfig, service::ServiceError> readAgentConfig(const RegistryLocation& at);
/// Only Server, CaFile and PinCa (the credential is neither read nor decrypted): what a
/// guruconnect:// link needs. ConfigMissing if the key is absent, ConfigInvalid without Server.
Result<service::InstalledServer, service::ServiceError> readAgentServer(const RegistryLocation& at);
/// Removes the key; true if there was one.
Result<bool, service::ServiceError> deleteAgentConfig(const RegistryLocation& at);

/// HKLM\SOFTWARE\GuruConnect\MsiProperties: where the MSI's custom action leaves its public
/// properties for `--install --from-msi` (deleted as soon as they are read).
RegistryLocation msiPropertiesLocation();

/// Reads the MSI's properties under `at` and deletes the key; ConfigMissing without one,
/// AccessDenied/RegistryFailed when the key cannot be deleted (nothing is returned then:
/// the token must not outlive its read).
Result<service::MsiProperties, service::ServiceError> takeMsiPropertiesAt(const RegistryLocation& at);

/// A Win32 error as a ServiceError: ERROR_ACCESS_DENIED → AccessDenied, else `otherwise`.
service::ServiceError serviceErrorFrom(DWORD win32Error, service::ServiceError otherwise);

}  // namespace guru::platform::win32
