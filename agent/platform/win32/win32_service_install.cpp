// --install and --uninstall: the .exe in %ProgramFiles%\GuruConnect, its configuration in
// HKLM, the "GuruConnect" service (LocalSystem, automatic start, restart on failure) and the
// installing user's guruconnect:// handler.
#include <windows.h>

#include <chrono>
#include <thread>

#include "platform/process.h"
#include "platform/service.h"
#include "platform/win32/win32_agent_config.h"
#include "platform/win32/win32_file_removal.h"
#include "platform/win32/win32_sas_policy.h"
#include "platform/win32/win32_service_control.h"
#include "platform/win32/win32_text.h"
#include "platform/win32/win32_url_handler.h"

namespace guru::platform::service {

using namespace std::chrono_literals;
using win32::UniqueServiceHandle;

namespace {

constexpr auto kStopTimeout = 20s;
constexpr wchar_t kDescription[] =
    L"Keeps the GuruConnect remote-support agent connected to its server and runs it in the "
    L"console session.";

bool samePath(const std::wstring& a, const std::wstring& b) {
    return CompareStringOrdinal(a.c_str(), -1, b.c_str(), -1, TRUE) == CSTR_EQUAL;
}

bool fileExists(const std::wstring& path) { return GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES; }

// CopyFileW, retried for a few seconds: a service process that has just stopped may still
// hold the old image open.
bool copyWithRetry(const std::wstring& from, const std::wstring& to) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (CopyFileW(from.c_str(), to.c_str(), FALSE)) return true;
        std::this_thread::sleep_for(250ms);
    }
    return false;
}

Failure<ServiceError> fail(const LogSink& log, const std::string& what, DWORD error, ServiceError otherwise) {
    log(what + " failed: " + win32::win32ErrorText(error));
    return Failure{win32::serviceErrorFrom(error, otherwise)};
}

// Restart after 5 s, three times; the count resets after a day without failures. The flag
// makes a non-zero exit (not only a crash) count as a failure.
Outcome<ServiceError> setRecovery(SC_HANDLE service, const LogSink& log) {
    SERVICE_DESCRIPTIONW description{const_cast<wchar_t*>(kDescription)};
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_DESCRIPTION, &description)) {
        return fail(log, "ChangeServiceConfig2W(DESCRIPTION)", GetLastError(), ServiceError::ServiceManagerFailed);
    }
    SC_ACTION actions[3];
    for (auto& action : actions) action = {SC_ACTION_RESTART, 5000};
    SERVICE_FAILURE_ACTIONSW failure{};
    failure.dwResetPeriod = 24 * 60 * 60;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure)) {
        return fail(log, "ChangeServiceConfig2W(FAILURE_ACTIONS)", GetLastError(), ServiceError::ServiceManagerFailed);
    }
    SERVICE_FAILURE_ACTIONS_FLAG flag{TRUE};
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag)) {
        const DWORD error = GetLastError();
        // Wine 8's services.exe knows no such level (ERROR_INVALID_LEVEL); Windows has had it
        // since Vista. Without it only a crash, not a non-zero exit, triggers the restart.
        if (error != ERROR_INVALID_LEVEL) {
            return fail(log, "ChangeServiceConfig2W(FAILURE_ACTIONS_FLAG)", error, ServiceError::ServiceManagerFailed);
        }
        log("recovery on a non-zero exit is not supported by this service manager (" + win32::win32ErrorText(error) +
            "): only a crash restarts the service");
    }
    log("recovery: restart after 5 s (three times, count reset after a day)");
    return Unit{};
}

// Creates the service, or updates an existing one to this binary path and settings.
Result<UniqueServiceHandle, ServiceError> createOrUpdate(SC_HANDLE manager, const std::wstring& binaryPath,
                                                         const LogSink& log) {
    UniqueServiceHandle service(CreateServiceW(manager, win32::kServiceName, win32::kServiceDisplayName,
                                               SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                               SERVICE_ERROR_NORMAL, binaryPath.c_str(), nullptr, nullptr,
                                               nullptr, nullptr, nullptr));
    if (service) {
        log("service GuruConnect created (LocalSystem, automatic start): " + win32::narrow(binaryPath));
        return service;
    }
    const DWORD error = GetLastError();
    if (error != ERROR_SERVICE_EXISTS) return fail(log, "CreateServiceW", error, ServiceError::ServiceManagerFailed);
    service.reset(OpenServiceW(manager, win32::kServiceName, SERVICE_ALL_ACCESS));
    if (!service) return fail(log, "OpenServiceW", GetLastError(), ServiceError::ServiceManagerFailed);
    if (!ChangeServiceConfigW(service.get(), SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
                              binaryPath.c_str(), nullptr, nullptr, nullptr, L"LocalSystem", L"",
                              win32::kServiceDisplayName)) {
        return fail(log, "ChangeServiceConfigW", GetLastError(), ServiceError::ServiceManagerFailed);
    }
    log("service GuruConnect updated (LocalSystem, automatic start): " + win32::narrow(binaryPath));
    return service;
}

// Starts the service and waits (at most 10 s) until it reports RUNNING.
Outcome<ServiceError> startAndWait(SC_HANDLE service, const LogSink& log) {
    if (!StartServiceW(service, 0, nullptr) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
        return fail(log, "StartServiceW", GetLastError(), ServiceError::ServiceManagerFailed);
    }
    SERVICE_STATUS status{};
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (QueryServiceStatus(service, &status) && status.dwCurrentState == SERVICE_START_PENDING &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
    }
    if (status.dwCurrentState != SERVICE_RUNNING) {
        log("service did not reach RUNNING (state " + std::to_string(status.dwCurrentState) + ", exit code " +
            std::to_string(status.dwWin32ExitCode) + "); see " + win32::narrow(win32::serviceLogPath()));
        return Failure{ServiceError::ServiceManagerFailed};
    }
    log("service GuruConnect started");
    return Unit{};
}

}  // namespace

bool supported() { return true; }

Outcome<ServiceError> installService(const AgentConfig& config, const LogSink& log) {
    const auto self = platform::ownExecutablePath();
    if (!self) return fail(log, "GetModuleFileNameW", GetLastError(), ServiceError::CopyFailed);
    const std::wstring running = win32::widen(*self);
    UniqueServiceHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE));
    if (!manager) return fail(log, "OpenSCManagerW", GetLastError(), ServiceError::ServiceManagerFailed);
    // The service does not start in this directory: a relative --ca-file is made absolute.
    AgentConfig settings = config;
    std::wstring caSource;
    if (!settings.caFile.empty()) {
        const std::wstring relative = win32::widen(settings.caFile);
        std::wstring full(MAX_PATH, L'\0');
        const DWORD n = GetFullPathNameW(relative.c_str(), MAX_PATH, full.data(), nullptr);
        if (n == 0 || n >= MAX_PATH || GetFileAttributesW(full.c_str()) == INVALID_FILE_ATTRIBUTES) {
            return Failure{ServiceError::CaFileNotFound};
        }
        full.resize(n);
        caSource = full;
    }

    const std::wstring directory = win32::installDirectory();
    const std::wstring installed = win32::installedExecutable();
    // An update: the running service holds the old .exe open and its helper the old settings.
    if (UniqueServiceHandle old(OpenServiceW(manager.get(), win32::kServiceName, SERVICE_STOP | SERVICE_QUERY_STATUS));
        old) {
        log("stopping the installed service to update it");
        if (!win32::stopServiceAndWait(old.get(), kStopTimeout, log)) return Failure{ServiceError::StopTimedOut};
    }
    if (!CreateDirectoryW(directory.c_str(), nullptr) && GetLastError() != ERROR_ALREADY_EXISTS) {
        return fail(log, "CreateDirectoryW " + win32::narrow(directory), GetLastError(), ServiceError::CopyFailed);
    }
    if (!caSource.empty()) {
        // The LocalSystem service trusts this file at every start: it lives beside the .exe,
        // where only administrators write, not wherever --install found it.
        const std::wstring caCopy = win32::installedCaFile();
        if (!samePath(caSource, caCopy) && !CopyFileW(caSource.c_str(), caCopy.c_str(), FALSE)) {
            return fail(log, "copying the CA file to " + win32::narrow(caCopy), GetLastError(), ServiceError::CopyFailed);
        }
        settings.caFile = win32::narrow(caCopy);
        log("CA certificates copied to " + settings.caFile);
    }
    if (samePath(running, installed)) {
        log("already running from " + win32::narrow(installed));
    } else {
        if (!copyWithRetry(running, installed)) {
            return fail(log, "copying to " + win32::narrow(installed), GetLastError(), ServiceError::CopyFailed);
        }
        log("copied " + *self + " to " + win32::narrow(installed));
    }

    if (auto stored = win32::writeAgentConfig(win32::installedConfigLocation(), settings); !stored) {
        log("storing the configuration in HKLM\\SOFTWARE\\GuruConnect\\Agent failed");
        return stored;
    }
    log("configuration stored in HKLM\\SOFTWARE\\GuruConnect\\Agent (credential protected by DPAPI)");
    // The guruconnect:// handler runs as whoever clicks the link: it reads the server here.
    if (auto stored = win32::writeAgentServer(win32::installedServerLocation(), settings); !stored) {
        log("storing the server for the guruconnect:// handler in HKLM\\SOFTWARE\\GuruConnect\\Server failed");
        return stored;
    }

    // Windows honours a service's SendSAS (Ctrl+Alt+Del from the viewer) only under this policy.
    auto sas = win32::allowServiceSas(win32::sasPolicyLocation(), win32::sasMemoLocation());
    if (!sas) {
        log("setting SoftwareSASGeneration failed: Ctrl+Alt+Del from the viewer will not reach Windows");
    } else {
        log(*sas ? "SoftwareSASGeneration now lets services send Ctrl+Alt+Del (the old value is kept for --uninstall)"
                 : "SoftwareSASGeneration already lets services send Ctrl+Alt+Del");
    }

    auto service = createOrUpdate(manager.get(), win32::widen(serviceCommandLine(win32::narrow(installed))), log);
    if (!service) return Failure{service.error()};
    if (auto recovery = setRecovery(service->get(), log); !recovery) return recovery;
    if (auto started = startAndWait(service->get(), log); !started) return started;

    if (auto handler = win32::registerUrlHandler(win32::urlHandlerLocation(), installed); !handler) {
        log("registering the guruconnect:// handler in HKCU\\Software\\Classes\\guruconnect failed");
        return handler;
    }
    log("guruconnect:// handler registered for this user (HKCU\\Software\\Classes\\guruconnect)");
    return Unit{};
}

Result<UninstallResult, ServiceError> uninstallService(const LogSink& log) {
    bool found = false;
    bool stopped = true;
    UniqueServiceHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!manager) return fail(log, "OpenSCManagerW", GetLastError(), ServiceError::ServiceManagerFailed);
    UniqueServiceHandle service(OpenServiceW(manager.get(), win32::kServiceName, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
    if (service) {
        found = true;
        stopped = win32::stopServiceAndWait(service.get(), kStopTimeout, log);
        log(stopped ? "service GuruConnect stopped" : "service GuruConnect did not stop within 20 s");
        if (!DeleteService(service.get()) && GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE) {
            return fail(log, "DeleteService", GetLastError(), ServiceError::ServiceManagerFailed);
        }
        log("service GuruConnect deleted");
    } else if (const DWORD error = GetLastError(); error != ERROR_SERVICE_DOES_NOT_EXIST) {
        return fail(log, "OpenServiceW", error, ServiceError::ServiceManagerFailed);
    }

    auto config = win32::deleteAgentConfig(win32::installedConfigLocation());
    if (!config) {
        log("removing HKLM\\SOFTWARE\\GuruConnect\\Agent failed");
        return Failure{config.error()};
    }
    if (*config) log("configuration removed (HKLM\\SOFTWARE\\GuruConnect\\Agent)");
    if (auto server = win32::deleteAgentConfig(win32::installedServerLocation()); server && *server) {
        log("server for the handler removed (HKLM\\SOFTWARE\\GuruConnect\\Server)");
    }
    // An MSI install that failed before --from-msi read its properties leaves them (and the
    // token) behind.
    if (auto msi = win32::deleteAgentConfig(win32::msiPropertiesLocation()); msi && *msi) {
        log("MSI properties removed (HKLM\\SOFTWARE\\GuruConnect\\MsiProperties)");
    }
    if (auto sas = win32::restoreServiceSas(win32::sasPolicyLocation(), win32::sasMemoLocation()); sas && *sas) {
        LSTATUS status = ERROR_SUCCESS;
        win32::deleteTree(win32::sasMemoLocation(), status);
        log("SoftwareSASGeneration put back as it was before --install");
    }
    // Last, once Agent, Server, MsiProperties and SasPolicy under it are gone (fails if not empty).
    if (RegDeleteKeyW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\GuruConnect") == ERROR_SUCCESS) {
        log("HKLM\\SOFTWARE\\GuruConnect removed");
    }
    auto handler = win32::removeUrlHandler(win32::urlHandlerLocation());
    if (!handler) {
        log("removing HKCU\\Software\\Classes\\guruconnect failed");
        return Failure{handler.error()};
    }
    if (*handler) log("guruconnect:// handler removed (HKCU\\Software\\Classes\\guruconnect)");
    found = found || *config || *handler;

    const std::wstring installed = win32::installedExecutable();
    DeleteFileW(win32::serviceLogPath().c_str());
    DeleteFileW(win32::installedCaFile().c_str());
    if (fileExists(installed)) {
        found = true;
        const auto self = platform::ownExecutablePath();
        bool gone = false;
        // The stopped service's process may need a moment to let go of its image.
        for (int attempt = 0; !gone && attempt < 20 && !(self && samePath(win32::widen(*self), installed)); ++attempt) {
            gone = DeleteFileW(installed.c_str()) != 0;
            if (!gone) std::this_thread::sleep_for(250ms);
        }
        if (gone) {
            RemoveDirectoryW(win32::installDirectory().c_str());
            log("removed " + win32::narrow(installed));
        } else if (win32::startDeleteHelper(win32::narrow(installed)) == 0) {
            log(win32::narrow(installed) + " is in use: it is deleted once this program has exited");
        } else {
            log("could not remove " + win32::narrow(installed) + ": " + win32::win32ErrorText(GetLastError()));
        }
    }
    if (!stopped) return Failure{ServiceError::StopTimedOut};
    return found ? UninstallResult::Removed : UninstallResult::NotInstalled;
}

}  // namespace guru::platform::service
