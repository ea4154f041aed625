// The enrolled agent's stored configuration on Windows (platform/agent_config_store.h): the
// service's registry key (win32_agent_config.h), the MSI's properties for --from-msi, and
// the double-click offer to install (platform/service.h).
#include <windows.h>
#include <shellapi.h>

#include "platform/agent_config_store.h"
#include "platform/process.h"
#include "platform/service.h"
#include "platform/win32/win32_agent_config.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_service_control.h"
#include "platform/win32/win32_text.h"

namespace guru::platform {

namespace {

ConfigFileError fromService(service::ServiceError e) {
    switch (e) {
        case service::ServiceError::ConfigMissing: return ConfigFileError::NotFound;
        case service::ServiceError::ConfigInvalid: return ConfigFileError::Invalid;
        case service::ServiceError::AccessDenied: return ConfigFileError::Unreadable;
        default: return ConfigFileError::Unreadable;
    }
}

}  // namespace

Result<unattended::StoredAgentConfig, ConfigFileFailure> readStoredConfig(const std::string& location) {
    if (!location.empty()) return Failure{ConfigFileFailure{ConfigFileError::Unsupported, {}}};
    auto config = win32::readAgentConfig(win32::installedConfigLocation());
    if (!config) return Failure{ConfigFileFailure{fromService(config.error()), {}}};
    unattended::StoredAgentConfig stored;
    stored.server = config->server;
    stored.agentId = config->agentId;
    stored.credential = config->credential;
    stored.caFile = config->caFile;
    stored.pinCa = config->pinCa;
    stored.metadata = config->metadata;
    return stored;
}

Outcome<ConfigFileError> writeStoredConfig(const std::string& location, const unattended::StoredAgentConfig& stored) {
    if (!location.empty()) return Failure{ConfigFileError::Unsupported};
    service::AgentConfig config;
    config.server = stored.server;
    config.agentId = stored.agentId;
    config.credential = stored.credential;
    config.caFile = stored.caFile;
    config.pinCa = stored.pinCa;
    config.enrolled = true;
    config.metadata = stored.metadata;
    if (auto written = win32::writeAgentConfig(win32::installedConfigLocation(), config); !written) {
        return Failure{ConfigFileError::Unwritable};
    }
    return Unit{};
}

std::string storedConfigLocation(const std::string& configFlag) { return configFlag; }

std::string absolutePath(const std::string& path) {
    const std::wstring relative = win32::widen(path);
    std::wstring full(MAX_PATH, L'\0');
    const DWORD n = GetFullPathNameW(relative.c_str(), MAX_PATH, full.data(), nullptr);
    if (n == 0 || n >= MAX_PATH) return path;
    full.resize(n);
    return win32::narrow(full);
}

std::string machineHostname() {
    wchar_t name[256] = {};
    DWORD size = 256;
    if (!GetComputerNameExW(ComputerNameDnsHostname, name, &size)) return {};
    return win32::narrow(std::wstring(name, size));
}

}  // namespace guru::platform

namespace guru::platform::win32 {

RegistryLocation msiPropertiesLocation() { return {HKEY_LOCAL_MACHINE, L"SOFTWARE\\GuruConnect\\MsiProperties"}; }

Result<service::MsiProperties, service::ServiceError> takeMsiPropertiesAt(const RegistryLocation& at) {
    service::MsiProperties p;
    {
        UniqueKey key;
        const LSTATUS status = openKeyForReading(at, key);
        if (status == ERROR_FILE_NOT_FOUND) return Failure{service::ServiceError::ConfigMissing};
        if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, service::ServiceError::RegistryFailed)};
        const std::pair<const wchar_t*, std::string*> values[] = {
            {L"SERVER", &p.server}, {L"ENROLLTOKEN", &p.enrolToken}, {L"COMPANY", &p.company},
            {L"SITE", &p.site},     {L"DEPARTMENT", &p.department},  {L"DEVICETYPE", &p.deviceType},
            {L"TAG", &p.tag}};
        for (const auto& [name, field] : values) {
            if (auto value = readString(key.get(), name)) *field = narrow(*value);
        }
    }
    LSTATUS status = ERROR_SUCCESS;
    deleteTree(at, status);
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, service::ServiceError::RegistryFailed)};
    return p;
}

}  // namespace guru::platform::win32

namespace guru::platform::service {

Result<MsiProperties, ServiceError> takeMsiProperties(const LogSink& log) {
    auto taken = win32::takeMsiPropertiesAt(win32::msiPropertiesLocation());
    if (taken) log("read and deleted HKLM\\SOFTWARE\\GuruConnect\\MsiProperties");
    return taken;
}

std::optional<int> offerInstall(const LogSink& log) {
    const int answer = MessageBoxW(nullptr,
                                   L"Install the GuruConnect agent on this computer?\n\n"
                                   L"It runs as a service and connects to your support provider's server.",
                                   L"GuruConnect", MB_YESNO | MB_ICONQUESTION | MB_SETFOREGROUND);
    if (answer != IDYES) {
        log("not installed (declined)");
        return 0;
    }
    auto self = platform::ownExecutablePath();
    if (!self) return 1;
    const std::wstring file = win32::widen(*self);
    SHELLEXECUTEINFOW run{};
    run.cbSize = sizeof run;
    run.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC;
    run.lpVerb = L"runas";  // the UAC prompt: the service needs an administrator
    run.lpFile = file.c_str();
    run.lpParameters = L"--install";
    run.nShow = SW_SHOWNORMAL;
    if (!ShellExecuteExW(&run) || !run.hProcess) {
        log("could not start the installation elevated: " + win32::win32ErrorText(GetLastError()));
        return 1;
    }
    win32::UniqueHandle process(run.hProcess);
    WaitForSingleObject(process.get(), INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(process.get(), &code);
    MessageBoxW(nullptr, code == 0 ? L"GuruConnect is installed." : L"GuruConnect could not be installed.",
                L"GuruConnect", MB_OK | (code == 0 ? MB_ICONINFORMATION : MB_ICONERROR));
    return static_cast<int>(code);
}

}  // namespace guru::platform::service
