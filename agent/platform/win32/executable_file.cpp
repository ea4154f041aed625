// The running .exe's path (deleting it once the one-time support agent is done:
// win32_file_removal.cpp).
#include <windows.h>

#include <string>
#include <vector>

#include "platform/process.h"
#include "platform/win32/win32_text.h"

namespace guru::platform {

std::optional<std::string> ownExecutablePath() {
    std::vector<wchar_t> buffer(MAX_PATH);
    for (int attempt = 0; attempt < 6; ++attempt) {
        const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
        if (n == 0) return std::nullopt;
        if (n < buffer.size()) return win32::narrow(std::wstring_view(buffer.data(), n));
        buffer.resize(buffer.size() * 2);  // truncated: long path
    }
    return std::nullopt;
}

const char* portalPlatformName() { return "windows"; }

}  // namespace guru::platform
