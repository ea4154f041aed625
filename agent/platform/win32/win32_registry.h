// An RAII registry key and the few typed reads and writes the service configuration and the
// URL handler need; every read is bounded.
#pragma once

#include <windows.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace guru::platform::win32 {

struct KeyClose {
    void operator()(HKEY key) const {
        if (key) RegCloseKey(key);
    }
};
/// An open registry key (RegCloseKey on destruction).
using UniqueKey = std::unique_ptr<std::remove_pointer_t<HKEY>, KeyClose>;

/// A registry key by root and path; tests point these at their own keys.
struct RegistryLocation {
    HKEY root = HKEY_LOCAL_MACHINE;
    std::wstring subkey;
};

/// The largest value read back (strings and binary alike): configuration, not data.
inline constexpr DWORD kMaxRegistryValueBytes = 16 * 1024;

/// Creates (or opens) `subkey` for writing. `sddl`, when not empty, becomes the key's
/// security descriptor, also when the key already existed. The Win32 error on failure.
LSTATUS createKey(const RegistryLocation& at, UniqueKey& key, const wchar_t* sddl = nullptr);
/// Opens an existing key for reading; ERROR_FILE_NOT_FOUND when it is not there.
LSTATUS openKeyForReading(const RegistryLocation& at, UniqueKey& key);

LSTATUS setString(HKEY key, const wchar_t* name, const std::wstring& value);
LSTATUS setDword(HKEY key, const wchar_t* name, DWORD value);
LSTATUS setBinary(HKEY key, const wchar_t* name, const std::vector<std::byte>& value);

/// A REG_SZ value (at most kMaxRegistryValueBytes), or nothing if missing or of another type.
std::optional<std::wstring> readString(HKEY key, const wchar_t* name);
std::optional<DWORD> readDword(HKEY key, const wchar_t* name);
/// A REG_BINARY value (at most kMaxRegistryValueBytes), or nothing.
std::optional<std::vector<std::byte>> readBinary(HKEY key, const wchar_t* name);

/// Deletes `subkey` and everything under it; true if it existed, false if it did not, and
/// the Win32 error in `status` otherwise.
bool deleteTree(const RegistryLocation& at, LSTATUS& status);

}  // namespace guru::platform::win32
