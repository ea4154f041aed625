// guruconnect-agent: connects to the server and serves remote-control sessions
// (`--server URL --agent-id UUID --credential TOKEN`), plus small diagnostic commands
// (diagnostics.h) and the Windows service mode (service_commands.h). A binary with a
// support trailer (docs/support.md §4) runs the one-time support mode instead. The command
// line itself is parsed in options.cpp.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/connection_manager.h"
#include "core/envelope.h"
#include "core/inventory_reporter.h"
#include "core/session_loop.h"
#include "core/agent_trailer.h"
#include "platform/agent_config_store.h"
#include "core/unattended_listener.h"
#include "diagnostics.h"
#include "options.h"
#include "platform/identity_store.h"
#include "platform/inventory.h"
#include "platform/platform.h"
#include "platform/process.h"
#include "platform/service.h"
#include "platform/transport.h"
#include "platform/wake_on_lan.h"
#include "service_commands.h"
#include "support_mode.h"
#include "unattended_mode.h"

#ifndef GURU_AGENT_VERSION
#define GURU_AGENT_VERSION "0.0.0-dev"
#endif

namespace {

using namespace guru;
using cli::Options;

void logLine(const std::string& line) {
    // One fprintf per line, so lines from different threads do not interleave.
    std::fprintf(stderr, "guruconnect-agent: %s\n", line.c_str());
}

// What this run's trailer says: none, a refusal (the exit code), or a mode's config.
struct OwnTrailer {
    std::optional<int> refused;
    std::optional<support::SupportConfig> support;
    std::optional<support::UnattendedTrailer> unattended;
    std::string file;
};

// The trailer of --support-trailer's file, or of this executable for the commands a baked
// binary runs (none, run, --unattended, --install). Nothing from an unverified trailer is
// used: a bad one (a single byte changed) refuses to start with the reason.
OwnTrailer readOwnTrailer(const Options& o) {
    OwnTrailer out;
    const bool trailerCommand = o.command.empty() || o.command == "run" || o.command == "unattended" ||
                                o.command == "install";
    if (!trailerCommand && o.supportTrailer.empty()) return out;
    out.file = o.supportTrailer;
    if (out.file.empty()) {
        auto self = platform::ownExecutablePath();
        if (!self) return out;
        out.file = *self;
    }
    auto trailer = support::readAgentTrailer(out.file);
    if (!trailer) {
        const auto error = trailer.error().error;
        if (o.supportTrailer.empty() &&
            (error == support::TrailerError::NotPresent || error == support::TrailerError::Unreadable)) {
            return out;  // an ordinary agent binary (or one we cannot read back)
        }
        logLine(std::string("support: bad trailer in ") + out.file + ": " + support::name(error) +
                (trailer.error().field.empty() ? "" : " (" + std::string(trailer.error().field) + ")") + ": " +
                support::explain(error) + "; not starting");
        out.refused = 2;
        return out;
    }
    if (auto* config = std::get_if<support::SupportConfig>(&*trailer)) {
        out.support = std::move(*config);
    } else {
        out.unattended = std::get<support::UnattendedTrailer>(std::move(*trailer));
    }
    return out;
}

// Support mode when --support-trailer names a file, or when this executable carries a
// support trailer and no other command was asked for. Returns the exit code if it ran.
std::optional<int> maybeSupportMode(const Options& o, OwnTrailer& trailer) {
    if (!trailer.support && !o.supportTrailer.empty()) {
        logLine("--support-trailer " + o.supportTrailer + ": not a support trailer");
        return 2;
    }
    if (!trailer.support) return std::nullopt;
    if (!o.command.empty() && o.command != "run" && o.supportTrailer.empty()) return std::nullopt;
    const std::string& file = trailer.file;
    auto config = std::move(trailer.support);
    SupportModeOptions options;
    options.config = std::move(*config);
    options.ownFile = file;
    options.backend = o.backend;
    if (o.caFileFlag) options.caFile = o.caFile;
    options.pinCa = o.pinCa && o.caFileFlag;
    options.agentVersion = GURU_AGENT_VERSION;
    options.consentTimeout = std::chrono::seconds(o.consentTimeout);
    // What an elevated relaunch needs to find the same session and server (support_elevation.h).
    if (!o.supportTrailer.empty()) options.relaunchArguments = {"--support-trailer", o.supportTrailer};
    if (o.caFileFlag) options.relaunchArguments.insert(options.relaunchArguments.end(), {"--ca-file", o.caFile});
    if (options.pinCa) options.relaunchArguments.push_back("--pin-ca");
    options.relaunchArguments.insert(options.relaunchArguments.end(),
                                     {"--consent-timeout", std::to_string(o.consentTimeout)});
    if (!o.elevatedHandover.empty()) {
        auto takeover = receiveTakeover(o.elevatedHandover, options.config.sessionId, logLine);
        if (!takeover) return 2;  // the unelevated agent goes on
        // Tests only: a child that refuses the session, so the unelevated agent's failure path
        // (it goes on and says so) runs under Wine, where the UAC prompt cannot be declined.
        if (const char* refuse = std::getenv("GURU_TEST_REFUSE_TAKEOVER"); refuse && std::string_view(refuse) == "1") {
            takeover->answer(false, logLine);
            return 3;
        }
        options.takeover = std::make_shared<Takeover>(std::move(*takeover));
    }
    return runSupportMode(options, logLine);
}

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", or the 32 hex digits alone (as the server's
// `guruconnect enrol-agent` prints the id) → 16 bytes in network order.
std::optional<envelope::Id128> parseUuid(std::string_view text) {
    const bool dashed = text.size() == 36;
    if (!dashed && text.size() != 32) return std::nullopt;
    envelope::Id128 id{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (text[i] != '-') return std::nullopt;
            continue;
        }
        const char c = text[i];
        int v = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) return std::nullopt;
        id[n / 2] = static_cast<std::byte>((static_cast<int>(id[n / 2]) << 4) | v);
        ++n;
    }
    return id;
}

// 32 lower-case hex digits: how the identity store names an agent.
std::string idHex(const envelope::Id128& id) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::byte b : id) {
        out += kDigits[static_cast<unsigned>(b) >> 4];
        out += kDigits[static_cast<unsigned>(b) & 0xF];
    }
    return out;
}

// The `run` settings checked as the connection manager needs them; nothing (the reason
// printed) if one is wrong. --install checks its flags with this too.
std::optional<ConnectionSettings> connectionSettings(const platform::service::AgentConfig& o) {
    auto fail = [](const char* message) {
        std::fputs(message, stderr);
        return std::nullopt;
    };
    auto url = parseWsUrl(o.server);
    if (!url) {
        std::fprintf(stderr, "invalid --server URL: %s\n", name(url.error()));
        return std::nullopt;
    }
    auto agentId = parseUuid(o.agentId);
    if (!agentId) return fail("--agent-id must be a UUID (with or without dashes)\n");
    if (o.credential.empty() || o.credential.size() > envelope::kMaxTokenSize) {
        return fail("--credential must be 1..1024 bytes\n");
    }
    if (o.pinCa && o.caFile.empty()) return fail("--pin-ca needs --ca-file\n");
    ConnectionSettings settings;
    settings.server = *url;
    settings.transport.caFile = o.caFile;
    settings.transport.caFileOnly = o.pinCa;
    const ByteView credential = asBytes(o.credential);
    settings.identity = {*agentId, Bytes(credential.begin(), credential.end()), GURU_AGENT_VERSION, nullptr};  // key: run() loads it
    return settings;
}

// The agent proper: one connection manager, one session loop and the inventory reports until
// SIGINT/SIGTERM (or, in the service's session helper, its stop event). `metadata` gives each
// report's metadata block (the stored configuration's; empty: none).
int run(const platform::service::AgentConfig& config, const platform::BackendOptions& display,
        inventory::MetadataSource metadata = {}) {
    auto settings = connectionSettings(config);
    if (!settings) return 2;
    // The identity key the server binds on first use (docs/protocol.md §1.1): created at the
    // first start after enrolment, then read back from where the OS keeps it.
    auto key = platform::loadOrCreateIdentity({idHex(settings->identity.agentId), config.identityFile}, logLine);
    if (!key) {
        logLine(std::string("cannot load or create the identity key (") + platform::name(key.error()) +
                "): set --identity-file to a writable path, readable by this user only");
        return 1;
    }
    // The same key signs every viewer's key exchange (docs/protocol.md §3.2), so a viewer's
    // pinned identity survives restarts.
    const auto identity = std::make_shared<const crypto::IdentityKey>(std::move(*key));
    settings->identity.key = identity;
    platform::blockTerminationSignals();  // before any thread starts

    auto backend = platform::openBackend(display);
    if (!backend) {
        logLine(std::string("no input backend (") + platform::name(backend.error()) +
                "): viewers can watch but not control");
    }
    ConnectionManager connection(*settings, platform::connectTransport, logLine);
    SessionLoop session(connection, *identity, [display] { return platform::openCapturer(display); },
                        backend ? backend->input.get() : nullptr,
                        backend ? backend->clipboard.get() : nullptr, logLine, cli::sessionSettings(GURU_AGENT_VERSION));
    // An enrolled agent reports its inventory and relays Wake-on-LAN (docs/protocol.md §2.6, §2.7).
    InventoryReporter inventory(connection, platform::collectInventory, std::move(metadata), GURU_AGENT_VERSION, logLine);
    UnattendedListener listener(session, inventory, platform::sendUdpBroadcast, logLine);
    session.start();
    inventory.start();
    connection.start(listener);
    const char* why = platform::waitForTermination();
    logLine(std::string("stopping (") + why + ")");
    connection.stop();  // first: no more events reach the session
    inventory.stop();
    session.stop();
    logLine("stopped");
    return 0;
}

// The MSI's public properties (Windows --install --from-msi), deleted from the registry as
// they are read: the token must not stay where the MSI's custom action left it.
std::optional<EnrolmentSource> msiProperties(const LogSink& log) {
    auto taken = platform::service::takeMsiProperties(log);
    if (!taken && taken.error() == platform::service::ServiceError::ConfigMissing) {
        // The MSI writes only the public properties given to msiexec: none, the trailer's values.
        log("--from-msi: no MSI properties given (HKLM\\SOFTWARE\\GuruConnect\\MsiProperties): the trailer's values");
        return EnrolmentSource{};
    }
    if (!taken) {
        log(std::string("--from-msi: ") + platform::service::describe(taken.error()));
        return std::nullopt;
    }
    const auto& p = *taken;
    EnrolmentSource source;
    source.server = p.server;
    source.token = p.enrolToken;
    source.metadata.company = p.company;
    source.metadata.site = p.site;
    source.metadata.department = p.department;
    source.metadata.deviceType = p.deviceType;
    source.metadata.tag = p.tag;
    source.origin = "the MSI's properties";
    return source;
}

// The installed (Windows service) agent's metadata source: an enrolled agent's stored
// metadata, re-read from the registry at every check-in; none for one installed with --credential.
inventory::MetadataSource installedMetadata(const platform::service::AgentConfig& config) {
    if (!config.enrolled) return {};
    return []() -> std::optional<inventory::MachineMetadata> {
        auto stored = platform::readStoredConfig(platform::storedConfigLocation({}));
        if (!stored) return std::nullopt;
        return stored->metadata;
    };
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!cli::parse(argc, argv, o)) return cli::usage();
    OwnTrailer trailer = readOwnTrailer(o);
    if (trailer.refused) return *trailer.refused;
    if (auto code = maybeSupportMode(o, trailer)) return *code;
    UnattendedEntryPoints unattended;
    unattended.run = [&o](const platform::service::AgentConfig& c, const inventory::MetadataSource& metadata) {
        return connectionSettings(c) ? run(c, o.backend, metadata) : 2;
    };
    unattended.msiProperties = msiProperties;
    if (o.command == "unattended") return runUnattended(o, trailer.unattended, unattended, logLine);
    if (o.command == "reconfigure") return reconfigure(o, logLine);
    if (o.command.empty() && trailer.unattended) {
        // A baked installer started with no arguments: Linux enrols and runs (the .deb's unit
        // passes --unattended itself); Windows offers to install the service.
        if (auto code = platform::service::offerInstall(logLine)) return *code;
        return runUnattended(o, trailer.unattended, unattended, logLine);
    }
    if (o.command.empty()) return cli::usage();
    const AgentEntryPoints agent{
        [](const platform::service::AgentConfig& c) { return connectionSettings(c).has_value(); },
        [&o](const platform::service::AgentConfig& c) { return run(c, o.backend, installedMetadata(c)); },
        &trailer.unattended, &unattended};
    if (auto code = runServiceCommand(o, agent)) return *code;
    if (o.command == "run") return run(agentConfigOf(o), o.backend);
    if (o.command == "self-test") return cli::selfTest();
    if (o.command == "capture") return cli::captureOnce(o);
    if (o.command == "info") return cli::info(o);
    if (o.command == "idle") return cli::idle(o);
    if (o.command == "capture-loop") return cli::captureLoop(o);
    if (o.command == "bench") return cli::bench(o);
    return cli::usage();
}
