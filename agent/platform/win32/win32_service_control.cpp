// Paths, stopping a service and error text, shared by the installer and the service
// (win32_service_control.h).
#include "platform/win32/win32_service_control.h"

#include <thread>
#include <vector>

#include "platform/win32/win32_registry.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

std::wstring installDirectory() {
    // The registry's value is what Windows itself uses for %ProgramFiles% (64-bit view for a
    // 64-bit process); the environment is the fallback.
    std::wstring base;
    UniqueKey key;
    if (openKeyForReading({HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion"}, key) ==
        ERROR_SUCCESS) {
        base = readString(key.get(), L"ProgramFilesDir").value_or(L"");
    }
    if (base.empty()) {
        wchar_t buffer[MAX_PATH];
        const DWORD n = GetEnvironmentVariableW(L"ProgramFiles", buffer, MAX_PATH);
        base = n > 0 && n < MAX_PATH ? std::wstring(buffer, n) : L"C:\\Program Files";
    }
    while (!base.empty() && base.back() == L'\\') base.pop_back();
    return base + L"\\GuruConnect";
}

std::wstring installedExecutable() { return installDirectory() + L"\\guruconnect-agent.exe"; }

std::wstring installedCaFile() { return installDirectory() + L"\\ca.pem"; }

std::wstring serviceLogPath() { return installDirectory() + L"\\agent.log"; }

bool stopServiceAndWait(SC_HANDLE service, std::chrono::milliseconds timeout, const LogSink& log) {
    SERVICE_STATUS status{};
    if (!QueryServiceStatus(service, &status)) return false;
    if (status.dwCurrentState == SERVICE_STOPPED) return true;
    if (status.dwCurrentState != SERVICE_STOP_PENDING && !ControlService(service, SERVICE_CONTROL_STOP, &status)) {
        const DWORD error = GetLastError();
        if (error != ERROR_SERVICE_NOT_ACTIVE) {
            log("service: stop request refused: " + win32ErrorText(error));
            return false;
        }
        return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!QueryServiceStatus(service, &status)) return false;
        if (status.dwCurrentState == SERVICE_STOPPED) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
}

std::string win32ErrorText(DWORD error) {
    wchar_t* text = nullptr;
    const DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                       FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, error, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
    std::wstring message = n && text ? std::wstring(text, n) : L"";
    if (text) LocalFree(text);
    while (!message.empty() && (message.back() == L'\n' || message.back() == L'\r' || message.back() == L' ')) {
        message.pop_back();
    }
    return "error " + std::to_string(error) + (message.empty() ? "" : " (" + narrow(message) + ")");
}

}  // namespace guru::platform::win32
