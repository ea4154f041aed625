// What the service's installer, its process and the tests share: names, paths and an RAII
// service-manager handle.
#pragma once

#include <windows.h>

#include <chrono>
#include <memory>
#include <string>
#include <type_traits>

#include "core/log.h"

namespace guru::platform::win32 {

/// The service's key name and the name the Services console shows.
inline constexpr wchar_t kServiceName[] = L"GuruConnect";
inline constexpr wchar_t kServiceDisplayName[] = L"GuruConnect Agent";

struct ServiceHandleClose {
    void operator()(SC_HANDLE h) const {
        if (h) CloseServiceHandle(h);
    }
};
/// A service manager or service handle (CloseServiceHandle on destruction).
using UniqueServiceHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ServiceHandleClose>;

/// `%ProgramFiles%\GuruConnect` (from HKLM's ProgramFilesDir, else the environment).
std::wstring installDirectory();
/// `%ProgramFiles%\GuruConnect\guruconnect-agent.exe`.
std::wstring installedExecutable();
/// <installDirectory>\ca.pem: the --ca-file certificates the service trusts, copied there.
std::wstring installedCaFile();
/// `%ProgramFiles%\GuruConnect\agent.log`: the service's and its helper's log.
std::wstring serviceLogPath();

/// Asks a service to stop and waits until it has, at most `timeout`; true once stopped
/// (or if it was not running).
bool stopServiceAndWait(SC_HANDLE service, std::chrono::milliseconds timeout, const LogSink& log);

/// "error 5 (Access is denied.)" for log lines.
std::string win32ErrorText(DWORD error);

}  // namespace guru::platform::win32
