// Registry helpers for service mode (win32_registry.h).
#include "platform/win32/win32_registry.h"

#include <sddl.h>

#include <cstring>

namespace guru::platform::win32 {

namespace {

struct LocalFreeDelete {
    void operator()(void* p) const {
        if (p) LocalFree(p);
    }
};

// RegGetValueW with a size bound: the value's bytes of type `flags`, or nothing.
std::optional<std::vector<std::byte>> readRaw(HKEY key, const wchar_t* name, DWORD flags) {
    DWORD size = 0;
    if (RegGetValueW(key, nullptr, name, flags, nullptr, nullptr, &size) != ERROR_SUCCESS) return std::nullopt;
    if (size > kMaxRegistryValueBytes) return std::nullopt;
    std::vector<std::byte> bytes(size);
    if (RegGetValueW(key, nullptr, name, flags, nullptr, bytes.data(), &size) != ERROR_SUCCESS) {
        return std::nullopt;  // changed in between: treat as unreadable
    }
    bytes.resize(size);
    return bytes;
}

}  // namespace

LSTATUS createKey(const RegistryLocation& at, UniqueKey& key, const wchar_t* sddl) {
    std::unique_ptr<void, LocalFreeDelete> descriptor;
    SECURITY_ATTRIBUTES attributes{sizeof attributes, nullptr, FALSE};
    if (sddl && *sddl) {
        PSECURITY_DESCRIPTOR sd = nullptr;
        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, nullptr)) {
            return static_cast<LSTATUS>(GetLastError());
        }
        descriptor.reset(sd);
        attributes.lpSecurityDescriptor = sd;
    }
    HKEY raw = nullptr;
    DWORD disposition = 0;
    LSTATUS status = RegCreateKeyExW(at.root, at.subkey.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                                     KEY_READ | KEY_WRITE | WRITE_DAC, descriptor ? &attributes : nullptr,
                                     &raw, &disposition);
    if (status != ERROR_SUCCESS) return status;
    key.reset(raw);
    if (descriptor && disposition == REG_OPENED_EXISTING_KEY) {
        status = RegSetKeySecurity(raw, DACL_SECURITY_INFORMATION, descriptor.get());
    }
    return status;
}

LSTATUS openKeyForReading(const RegistryLocation& at, UniqueKey& key) {
    HKEY raw = nullptr;
    const LSTATUS status = RegOpenKeyExW(at.root, at.subkey.c_str(), 0, KEY_READ, &raw);
    if (status == ERROR_SUCCESS) key.reset(raw);
    return status;
}

LSTATUS setString(HKEY key, const wchar_t* name, const std::wstring& value) {
    const DWORD bytes = static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t));
    return RegSetValueExW(key, name, 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()), bytes);
}

LSTATUS setDword(HKEY key, const wchar_t* name, DWORD value) {
    return RegSetValueExW(key, name, 0, REG_DWORD, reinterpret_cast<const BYTE*>(&value), sizeof value);
}

LSTATUS setBinary(HKEY key, const wchar_t* name, const std::vector<std::byte>& value) {
    return RegSetValueExW(key, name, 0, REG_BINARY, reinterpret_cast<const BYTE*>(value.data()),
                          static_cast<DWORD>(value.size()));
}

std::optional<std::wstring> readString(HKEY key, const wchar_t* name) {
    auto bytes = readRaw(key, name, RRF_RT_REG_SZ);
    if (!bytes) return std::nullopt;
    std::wstring text(bytes->size() / sizeof(wchar_t), L'\0');
    if (!text.empty()) std::memcpy(text.data(), bytes->data(), text.size() * sizeof(wchar_t));
    while (!text.empty() && text.back() == L'\0') text.pop_back();  // RegGetValueW's terminator
    return text;
}

std::optional<DWORD> readDword(HKEY key, const wchar_t* name) {
    DWORD value = 0;
    DWORD size = sizeof value;
    if (RegGetValueW(key, nullptr, name, RRF_RT_REG_DWORD, nullptr, &value, &size) != ERROR_SUCCESS) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::vector<std::byte>> readBinary(HKEY key, const wchar_t* name) {
    return readRaw(key, name, RRF_RT_REG_BINARY);
}

bool deleteTree(const RegistryLocation& at, LSTATUS& status) {
    status = RegDeleteTreeW(at.root, at.subkey.c_str());
    if (status == ERROR_SUCCESS) {
        // RegDeleteTreeW empties the key; the key itself goes with RegDeleteKeyW.
        status = RegDeleteKeyW(at.root, at.subkey.c_str());
        if (status == ERROR_FILE_NOT_FOUND) status = ERROR_SUCCESS;
        return status == ERROR_SUCCESS;
    }
    if (status == ERROR_FILE_NOT_FOUND) {
        status = ERROR_SUCCESS;
        return false;
    }
    return false;
}

}  // namespace guru::platform::win32
