// The Windows parts of self-deletion (platform/file_removal.h), apart so that the Wine tests
// call each way of scheduling on its own (under Wine MoveFileExW always may).
#pragma once

#include <windows.h>

#include <string>

#include "core/result.h"
#include "platform/file_removal.h"
#include "platform/win32/win32_registry.h"

namespace guru::platform::win32 {

/// The user's RunOnce key: Explorer runs each value once at the user's next logon.
inline const RegistryLocation kUserRunOnce{HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce"};

/// MoveFileExW(path, NULL, MOVEFILE_DELAY_UNTIL_REBOOT): the Session Manager deletes the file
/// at the next boot. Needs write access to HKLM (an administrator). 0, or the Win32 error.
DWORD scheduleDeletionAtBoot(const std::string& path);

/// Adds a value (runOnceValueName) under `runOnce` whose command deletes `path`; returns the
/// value's name. Tests point `runOnce` at a key of their own.
Result<std::string, ScheduleError> addRunOnceDeletion(const RegistryLocation& runOnce, const std::string& path);

/// Starts a hidden cmd.exe that deletes `path` within 30 s of this process's exit (the
/// running .exe). 0, or the Win32 error (ERROR_INVALID_NAME: a path cmd.exe cannot quote).
DWORD startDeleteHelper(const std::string& path);

/// The Win32 error in words the log can carry: "sharing violation (held open by another
/// process), error 32".
std::string describeError(DWORD error);

}  // namespace guru::platform::win32
