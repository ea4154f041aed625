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
#include "core/session_loop.h"
#include "core/support_config.h"
#include "diagnostics.h"
#include "options.h"
#include "platform/identity_store.h"
#include "platform/platform.h"
#include "platform/process.h"
#include "platform/service.h"
#include "platform/transport.h"
#include "service_commands.h"
#include "support_mode.h"

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

// Support mode when --support-trailer names a file, or when this executable carries a
// trailer and no diagnostic command was asked for. Returns the exit code if it ran.
std::optional<int> maybeSupportMode(const Options& o) {
    if (!o.command.empty() && o.command != "run" && o.supportTrailer.empty()) return std::nullopt;
    std::string file = o.supportTrailer;
    if (file.empty()) {
        auto self = platform::ownExecutablePath();
        if (!self) return std::nullopt;
        file = *self;
    }
    auto config = support::readTrailer(file);
    if (!config) {
        const auto error = config.error().error;
        if (o.supportTrailer.empty() &&
            (error == support::TrailerError::NotPresent || error == support::TrailerError::Unreadable)) {
            return std::nullopt;  // an ordinary agent binary (or one we cannot read back)
        }
        // Nothing from an unverified trailer is used: exit before any connection.
        logLine(std::string("support: bad trailer in ") + file + ": " + support::name(error) +
                (config.error().field.empty() ? "" : " (" + std::string(config.error().field) + ")") +
                ": " + support::explain(error));
        return 2;
    }
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

// The agent proper: one connection manager and one session loop until SIGINT/SIGTERM (or,
// in the service's session helper, its stop event).
int run(const platform::service::AgentConfig& config, const platform::BackendOptions& display) {
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
    session.start();
    connection.start(session);
    const char* why = platform::waitForTermination();
    logLine(std::string("stopping (") + why + ")");
    connection.stop();  // first: no more events reach the session
    session.stop();
    logLine("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!cli::parse(argc, argv, o)) return cli::usage();
    if (auto code = maybeSupportMode(o)) return *code;
    if (o.command.empty()) return cli::usage();
    const AgentEntryPoints agent{
        [](const platform::service::AgentConfig& c) { return connectionSettings(c).has_value(); },
        [&o](const platform::service::AgentConfig& c) { return run(c, o.backend); }};
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
