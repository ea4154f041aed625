// GetComputerNameExW, RtlGetVersion (ntdll), GetUserNameW, GetNativeSystemInfo.
#include "platform/win32/win32_system_info.h"

#include <windows.h>

#include <array>
#include <string>

#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

namespace {

using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);

std::string windowsVersion() {
    auto rtlGetVersion = reinterpret_cast<RtlGetVersionFn>(
        reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "RtlGetVersion")));
    OSVERSIONINFOW info{};
    info.dwOSVersionInfoSize = sizeof info;
    if (!rtlGetVersion || rtlGetVersion(&info) != 0) return {};
    return std::to_string(info.dwMajorVersion) + "." + std::to_string(info.dwMinorVersion) + "." +
           std::to_string(info.dwBuildNumber);
}

const char* architecture() {
    SYSTEM_INFO info{};
    GetNativeSystemInfo(&info);
    switch (info.wProcessorArchitecture) {
        case PROCESSOR_ARCHITECTURE_AMD64: return "x86_64";
        case PROCESSOR_ARCHITECTURE_ARM64: return "aarch64";
        case PROCESSOR_ARCHITECTURE_INTEL: return "i686";
        default: return "unknown";
    }
}

}  // namespace

SystemDescription Win32SystemInfo::describe() {
    SystemDescription out;
    out.osName = "Windows";
    out.osVersion = windowsVersion();
    out.architecture = architecture();
    std::array<wchar_t, 256> buffer{};
    DWORD size = static_cast<DWORD>(buffer.size());
    if (GetComputerNameExW(ComputerNameDnsHostname, buffer.data(), &size)) {
        out.hostname = narrow(std::wstring_view(buffer.data(), size));
    }
    size = static_cast<DWORD>(buffer.size());
    if (GetUserNameW(buffer.data(), &size) && size > 0) {
        out.userName = narrow(std::wstring_view(buffer.data(), size - 1));  // size counts the NUL
    }
    return out;
}

}  // namespace guru::platform::win32
