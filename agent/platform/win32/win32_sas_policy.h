// The SoftwareSASGeneration policy that lets a service's SendSAS reach Winlogon
// (HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System): --install turns on the
// "services" bit, remembering what was there, and --uninstall puts that back.
#pragma once

#include <windows.h>

#include <optional>

#include "core/result.h"
#include "platform/service.h"
#include "platform/win32/win32_registry.h"

namespace guru::platform::win32 {

/// HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System.
RegistryLocation sasPolicyLocation();
/// HKLM\SOFTWARE\GuruConnect\SasPolicy: what the policy was before --install.
RegistryLocation sasMemoLocation();

/// The policy's values: 0 none, 1 services, 2 Ease of Access applications, 3 both.
inline constexpr DWORD kSasServices = 1;
inline constexpr DWORD kSasBoth = 3;
/// What `memo` records when the policy had no value before --install.
inline constexpr DWORD kSasWasAbsent = 0xFFFFFFFF;

/// The value that lets services generate the SAS while keeping whatever else was allowed
/// (absent or 0 → 1, 2 → 3, 1 and 3 unchanged; anything unknown → 1).
DWORD sasPolicyWithServices(std::optional<DWORD> current);

/// Sets the policy's services bit, and records the value it had in `memo`'s
/// "SasPolicyPrevious" (only the first time, so a re-install keeps the true original).
/// True if the policy changed.
Result<bool, service::ServiceError> allowServiceSas(const RegistryLocation& policy, const RegistryLocation& memo);

/// Puts back the value recorded in `memo` (deleting the policy value if there was none).
/// False if nothing was recorded.
Result<bool, service::ServiceError> restoreServiceSas(const RegistryLocation& policy, const RegistryLocation& memo);

}  // namespace guru::platform::win32
