// Service mode on Linux: not here. The permanent agent runs under a systemd unit that
// calls `guruconnect-agent --unattended --config FILE` (docs/unattended.md), so every call is
// Unsupported.
#include "platform/service.h"

namespace guru::platform::service {

bool supported() { return false; }

Outcome<ServiceError> installService(const AgentConfig&, const LogSink&) {
    return Failure{ServiceError::Unsupported};
}

Result<UninstallResult, ServiceError> uninstallService(const LogSink&) {
    return Failure{ServiceError::Unsupported};
}

Result<int, ServiceError> runService() { return Failure{ServiceError::Unsupported}; }

Result<int, ServiceError> runSessionHelper(std::string_view, const AgentRunner&) {
    return Failure{ServiceError::Unsupported};
}

Result<AgentConfig, ServiceError> readInstalledConfig() { return Failure{ServiceError::Unsupported}; }

Result<InstalledServer, ServiceError> installedServer() { return Failure{ServiceError::Unsupported}; }

Result<MsiProperties, ServiceError> takeMsiProperties(const LogSink&) { return Failure{ServiceError::Unsupported}; }

std::optional<int> offerInstall(const LogSink&) { return std::nullopt; }

}  // namespace guru::platform::service
