// The running .exe's path, and deleting it when the one-time support agent is done.
// Windows refuses to delete a running image, so a detached cmd.exe retries the delete
// after this process has exited.
#include <windows.h>

#include <string>
#include <vector>

#include "platform/process.h"
#include "platform/win32/win32_handles.h"
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

bool deleteExecutable(const std::string& path) {
    if (path.empty()) return false;
    const std::wstring file = win32::widen(path);
    if (DeleteFileW(file.c_str())) return true;  // not running from this file after all
    if (file.find(L'"') != std::wstring::npos) return false;
    // Up to 30 tries, one a second (ping is the delay that every cmd.exe has), until the
    // file is gone; the agent exits right after starting this.
    std::wstring system(MAX_PATH, L'\0');
    const UINT n = GetSystemDirectoryW(system.data(), MAX_PATH);
    if (n == 0 || n >= MAX_PATH) return false;
    system.resize(n);
    std::wstring command = L"\"" + system + L"\\cmd.exe\" /d /q /c \"for /l %i in (1,1,30) do @(" +
                           L"ping -n 2 127.0.0.1 >nul & del /f /q \"" + file + L"\" >nul 2>&1 & " +
                           L"if not exist \"" + file + L"\" exit /b 0)\"";
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION process{};
    if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE,
                        CREATE_NO_WINDOW | DETACHED_PROCESS, nullptr, system.c_str(), &startup,
                        &process)) {
        return false;
    }
    win32::UniqueHandle thread(process.hThread), owned(process.hProcess);
    return true;
}

}  // namespace guru::platform
