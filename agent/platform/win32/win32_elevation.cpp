// TokenElevation and TokenElevationType of this process (win32_elevation.h).
#include "platform/win32/win32_elevation.h"

#include "platform/win32/win32_handles.h"

namespace guru::platform::win32 {

namespace {

/// Reads one fixed-size token information class of this process's token.
template <typename T>
std::optional<T> ownTokenInformation(TOKEN_INFORMATION_CLASS what) {
    HANDLE raw = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return std::nullopt;
    const UniqueHandle token(raw);
    T value{};
    DWORD size = 0;
    if (!GetTokenInformation(token.get(), what, &value, sizeof value, &size) || size != sizeof value)
        return std::nullopt;
    return value;
}

}  // namespace

std::optional<bool> processIsElevated() {
    const auto elevation = ownTokenInformation<TOKEN_ELEVATION>(TokenElevation);
    if (!elevation) return std::nullopt;
    return elevation->TokenIsElevated != 0;
}

std::optional<TOKEN_ELEVATION_TYPE> processElevationType() {
    return ownTokenInformation<TOKEN_ELEVATION_TYPE>(TokenElevationType);
}

}  // namespace guru::platform::win32
