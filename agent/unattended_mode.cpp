// The enrolled agent's commands (unattended_mode.h).
#include "unattended_mode.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/envelope.h"
#include "platform/agent_config_store.h"
#include "platform/process.h"
#include "platform/transport.h"

namespace guru {
namespace {

namespace service = platform::service;

// The token file's first line, whitespace trimmed; nothing if it cannot be read or is empty.
std::optional<std::string> readTokenFile(const std::string& path, const LogSink& log) {
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) {
        log("cannot read --enrol-token-file " + path);
        return std::nullopt;
    }
    char buffer[envelope::kMaxTokenSize + 2] = {};
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, file.get());
    std::string token(buffer, n);
    if (auto end = token.find_first_of("\r\n"); end != std::string::npos) token.resize(end);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.erase(0, 1);
    if (token.empty() || token.size() > envelope::kMaxTokenSize) {
        log("--enrol-token-file " + path + " holds no token (one line, 1.." + std::to_string(envelope::kMaxTokenSize) +
            " bytes)");
        return std::nullopt;
    }
    return token;
}

std::string describeRead(const std::string& location, const platform::ConfigFileFailure& f) {
    std::string line = "stored configuration " + (location.empty() ? std::string("(registry)") : location) + ": ";
    switch (f.error) {
        case platform::ConfigFileError::TooOpen:
            return line + "other users may read it: refused (chmod 600 it, it holds the agent's credential)";
        case platform::ConfigFileError::Invalid:
            return line + "not a valid configuration (" + unattended::name(f.invalid.error) +
                   (f.invalid.field.empty() ? "" : " " + f.invalid.field) + ")";
        case platform::ConfigFileError::Unreadable: return line + "cannot be read (run as root?)";
        default: return line + platform::name(f.error);
    }
}

std::string directoryOf(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
}

}  // namespace

service::AgentConfig agentConfigOf(const unattended::StoredAgentConfig& stored, const cli::Options& o,
                                   const std::string& location) {
    service::AgentConfig config;
    config.server = stored.server;
    config.agentId = stored.agentId;
    config.credential = stored.credential;
    config.caFile = stored.caFile;
    config.pinCa = stored.pinCa;
    config.identityFile = o.identityFile;
    // The identity key lives beside the configuration (/etc/guruconnect/identity.key), so a
    // root service without $HOME has it and a purge removes both.
    if (config.identityFile.empty() && !location.empty()) config.identityFile = directoryOf(location) + "/identity.key";
    config.metadata = stored.metadata;
    config.enrolled = true;
    return config;
}

std::optional<EnrolmentSource> enrolmentSource(const cli::Options& o,
                                               const std::optional<support::UnattendedTrailer>& trailer,
                                               const UnattendedEntryPoints& entry, const LogSink& log) {
    std::optional<EnrolmentSource> source;
    if (trailer) source = EnrolmentSource{trailer->server, trailer->enrolToken, trailer->metadata, "the trailer"};
    if (!o.enrolTokenFile.empty()) {
        auto token = readTokenFile(o.enrolTokenFile, log);
        if (!token) return std::nullopt;
        if (!source) source = EnrolmentSource{};
        source->token = std::move(*token);
        source->origin = "--enrol-token-file " + o.enrolTokenFile;
    }
    if (o.fromMsi) {
        if (!entry.msiProperties) {
            log("--from-msi: this OS has no MSI properties");
            return std::nullopt;
        }
        auto msi = entry.msiProperties(log);
        if (!msi) return std::nullopt;
        if (!source) source = EnrolmentSource{};
        // Each non-empty property overrides the baked value (one MSI serves a GPO transform).
        if (!msi->server.empty()) source->server = msi->server;
        if (!msi->token.empty()) source->token = msi->token;
        auto& m = source->metadata;
        const auto& p = msi->metadata;
        for (auto [from, to] : {std::pair{&p.company, &m.company}, {&p.site, &m.site}, {&p.department, &m.department},
                                {&p.deviceType, &m.deviceType}, {&p.tag, &m.tag}}) {
            if (!from->empty()) *to = *from;
        }
        if (!msi->token.empty()) source->origin = "the MSI's properties";
    }
    if (o.serverFlag && source) source->server = o.server;
    if (!source || source->token.empty()) {
        log("no enrolment token: this binary has no unattended trailer; use the Build tab's installer, or "
            "--enrol-token-file FILE --server URL");
        return std::nullopt;
    }
    if (source->server.empty()) {
        log("no server to enrol with: give --server URL");
        return std::nullopt;
    }
    auto metadata = inventory::applyEdit(source->metadata, o.metadataEdit);
    if (!metadata) {
        log("invalid metadata: " + metadata.error().field + " (" + inventory::name(metadata.error().error) + ")");
        return std::nullopt;
    }
    source->metadata = std::move(*metadata);
    return source;
}

Result<unattended::StoredAgentConfig, int> enrolNow(const cli::Options& o, const EnrolmentSource& source,
                                                    const LogSink& log) {
    unattended::EnrolRequest request;
    request.server = source.server;
    request.token = source.token;
    request.hostname = platform::machineHostname();
    request.metadata = source.metadata;
    request.transport.caFile = o.caFile;
    request.transport.caFileOnly = o.pinCa && !o.caFile.empty();
    log("enrolling with " + source.server + " (token from " + source.origin + ", hostname \"" + request.hostname +
        "\")");
    platform::blockTerminationSignals();  // SIGTERM ends the wait between attempts, not the process
    unattended::EnrolRetry retry;
    retry.wait = [](std::chrono::milliseconds delay) { return platform::waitForTermination(delay) == nullptr; };
    auto enrolled = unattended::enrolWithRetry(
        [&request] { return unattended::enrolOnce(platform::connectTransport, request, nullptr); }, retry, log);
    if (!enrolled) {
        return Failure{enrolled.error().error == unattended::EnrolError::Refused ? kExitEnrolmentRefused : 1};
    }
    log("enrolled as agent " + enrolled->agentId);
    unattended::StoredAgentConfig stored;
    stored.server = enrolled->server;
    stored.agentId = enrolled->agentId;
    stored.credential = enrolled->credential;
    stored.caFile = o.caFile.empty() ? std::string() : platform::absolutePath(o.caFile);
    stored.pinCa = request.transport.caFileOnly;
    stored.metadata = source.metadata;
    return stored;
}

int runUnattended(const cli::Options& o, const std::optional<support::UnattendedTrailer>& trailer,
                  const UnattendedEntryPoints& entry, const LogSink& log) {
    const std::string location = platform::storedConfigLocation(o.configFile);
    auto stored = platform::readStoredConfig(location);
    if (!stored && stored.error().error != platform::ConfigFileError::NotFound) {
        log(describeRead(location, stored.error()));
        return 1;
    }
    if (!stored) {
        log("no stored configuration at " + location + ": enrolling");
        auto source = enrolmentSource(o, trailer, entry, log);
        if (!source) return 2;
        auto enrolled = enrolNow(o, *source, log);
        if (!enrolled) return enrolled.error();
        if (auto written = platform::writeStoredConfig(location, *enrolled); !written) {
            log("enrolled, but the configuration cannot be stored at " + location + " (" +
                platform::name(written.error()) + "): run as root or pick --config; the token may be used up");
            return 1;
        }
        log("configuration stored in " + location + " (mode 0600)");
        stored = std::move(*enrolled);
    } else {
        log("running with the stored configuration " + location + " (agent " + stored->agentId + ")");
    }
    const auto config = agentConfigOf(*stored, o, location);
    // Re-read at every check-in: a --reconfigure reaches the server without a restart.
    inventory::MetadataSource metadata = [location, log]() -> std::optional<inventory::MachineMetadata> {
        auto now = platform::readStoredConfig(location);
        if (!now) {
            log(describeRead(location, now.error()));
            return std::nullopt;
        }
        return now->metadata;
    };
    return entry.run(config, metadata);
}

int reconfigure(const cli::Options& o, const LogSink& log) {
    if (o.metadataEdit.empty()) {
        log("--reconfigure needs at least one of --name, --company, --site, --department, --device-type, --tag");
        return 2;
    }
    const std::string location = platform::storedConfigLocation(o.configFile);
    auto stored = platform::readStoredConfig(location);
    if (!stored) {
        log(stored.error().error == platform::ConfigFileError::NotFound
                ? "no stored configuration at " + location + ": the agent is not enrolled"
                : describeRead(location, stored.error()));
        return stored.error().error == platform::ConfigFileError::NotFound ? 2 : 1;
    }
    auto metadata = inventory::applyEdit(stored->metadata, o.metadataEdit);
    if (!metadata) {
        log("invalid " + metadata.error().field + ": " + inventory::name(metadata.error().error) +
            (metadata.error().error == inventory::MetadataError::BadDeviceType ? " (workstation, server or laptop)" : ""));
        return 2;
    }
    stored->metadata = std::move(*metadata);
    if (auto written = platform::writeStoredConfig(location, *stored); !written) {
        log("cannot store the configuration at " + location + " (" + platform::name(written.error()) + "): run as root");
        return 1;
    }
    log("metadata updated in " + location + ": " + inventory::toJson(stored->metadata) +
        "; the server shows it at the agent's next check-in");
    return 0;
}

}  // namespace guru
