#include "options.h"

#include "core/diagnostics_report.h"
#include "platform/system_snapshot.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace guru::cli {

int usage() {
    std::fputs(
        "usage: guruconnect-agent --server ws[s]://HOST[:PORT]/api/agent/ws --agent-id UUID\n"
        "                         --credential TOKEN [--ca-file PEM [--pin-ca]] [--display :N]\n"
        "                         [--identity-file FILE]\n"
        "         (or $GURU_SERVER, $GURU_AGENT_ID, $GURU_CREDENTIAL, $GURU_CA_FILE, $GURU_IDENTITY_FILE)\n"
        "  --identity-file  where the identity key is kept (created 0600 on the first start; default\n"
        "                 $XDG_STATE_HOME or ~/.local/state/guruconnect/identity-ID.key; Windows: DPAPI, registry)\n"
        "       guruconnect-agent COMMAND [--display :N]\n"
        "  --self-test                      crypto, envelope and encoder round trips\n"
        "  --capture FILE [--format jpeg|png|webp]  capture the desktop once\n"
        "  --info                           system description and monitors\n"
        "  --idle [--seconds N]             idle agent: no viewer, nothing captured\n"
        "  --capture-loop [--seconds N]     a session's loop without the network\n"
        "  --bench [--frames N]             capture/JPEG/PNG/WebP ms per full frame\n"
        "       guruconnect-agent [--support-trailer FILE] [--consent-timeout S] [--display :N]\n"
        "  support mode: runs by itself when this file ends with a support trailer;\n"
        "  --support-trailer reads the trailer from FILE instead (and deletes FILE at the end)\n"
        "  (--elevated-handover NAME is how the session window's Run as administrator starts it)\n"
        "       guruconnect-agent --install --server URL --agent-id UUID --credential TOKEN\n"
        "                         [--ca-file PEM [--pin-ca]]   (Windows, elevated)\n"
        "  --install      the GuruConnect service (LocalSystem, automatic start) and the\n"
        "                 guruconnect:// handler; run again to update\n"
        "  --uninstall    stops and removes both, the configuration and the installed .exe\n"
        "  --open-url guruconnect://session/NNNNNN\n"
        "                 joins that support session (what the URL handler runs): nothing else\n"
        "                 may stand on its command line; the server is the installed agent's\n"
        "                 unless $GURU_SERVER (and $GURU_CA_FILE, $GURU_PIN_CA=1) names one\n"
        "  (--service and --session-helper are started by the service manager)\n"
        "       guruconnect-agent --unattended [--config FILE] [--enrol-token-file FILE --server URL]\n"
        "                         [--ca-file PEM [--pin-ca]] [--identity-file FILE]\n"
        "  the enrolled agent (docs/unattended.md): runs with FILE (default /etc/guruconnect/agent.json;\n"
        "  Windows: the service's registry key); without one, enrols first with the token of this\n"
        "  file's unattended trailer (or --enrol-token-file) and writes FILE, mode 0600\n"
        "       guruconnect-agent --install [--from-msi | --enrol-token-file FILE --server URL]  (Windows)\n"
        "  an unattended installer: enrols with its trailer's token, then installs the service\n"
        "  (--from-msi: the MSI's properties in HKLM\\SOFTWARE\\GuruConnect\\MsiProperties win)\n"
        "       guruconnect-agent --reconfigure [--config FILE] [--name N] [--company C] [--site S]\n"
        "                         [--department D] [--device-type workstation|server|laptop] [--tag T]\n"
        "  edits the stored metadata (\"\" clears a field); the running agent reports it at its next check-in\n",
        stderr);
    return 2;
}

namespace {

// The guruconnect:// handler's "%1" comes from a web page: were a launcher to pass a quote
// through unescaped, the link could append flags (--install with a server of the page's
// choosing, --ca-file of its choosing, a --support-trailer to delete). So a command line that
// names --open-url anywhere is exactly `--open-url URL`; the server override comes from the
// environment, which a web page cannot set.
bool parseOpenUrl(int argc, char** argv, Options& o) {
    if (argc != 3 || std::string_view(argv[1]) != "--open-url") return false;
    o.command = "open-url";
    o.openUrl = argv[2];
    if (const char* server = std::getenv("GURU_SERVER"); server && *server) {
        o.server = server;
        o.serverFlag = true;
    }
    if (const char* ca = std::getenv("GURU_CA_FILE"); ca && *ca) {
        o.caFile = ca;
        o.caFileFlag = true;
        const char* pin = std::getenv("GURU_PIN_CA");
        o.pinCa = pin && std::string_view(pin) == "1";
    }
    return true;
}

}  // namespace

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--open-url") return parseOpenUrl(argc, argv, o);
    }
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string number;
        if (a == "--self-test" || a == "--info" || a == "--idle" || a == "--capture-loop" ||
                   a == "--bench") {
            o.command = a.substr(2);
        } else if (a == "--install" || a == "--uninstall" || a == "--service" || a == "--session-helper" ||
                   a == "--unattended" || a == "--reconfigure") {
            o.command = a.substr(2);
        } else if (a == "--config") {
            if (!value(o.configFile)) return false;
        } else if (a == "--enrol-token-file") {
            if (!value(o.enrolTokenFile)) return false;
        } else if (a == "--from-msi") {
            o.fromMsi = true;
        } else if (a == "--name" || a == "--company" || a == "--site" || a == "--department" ||
                   a == "--device-type" || a == "--tag") {
            std::string text;
            if (!value(text)) return false;
            auto& edit = o.metadataEdit;
            (a == "--name" ? edit.name : a == "--company" ? edit.company : a == "--site" ? edit.site
             : a == "--department" ? edit.department : a == "--device-type" ? edit.deviceType : edit.tag) = text;
        } else if (a == "--stop-event") {
            if (!value(o.stopEvent)) return false;
        } else if (a == "--capture") {
            o.command = "capture";
            if (!value(o.output)) return false;
        } else if (a == "--format") {
            if (!value(o.format)) return false;
        } else if (a == "--server") {
            if (!value(o.server)) return false;
            o.serverFlag = true;
        } else if (a == "--agent-id") {
            if (!value(o.agentId)) return false;
        } else if (a == "--credential") {
            if (!value(o.credential)) return false;
        } else if (a == "--ca-file") {
            if (!value(o.caFile)) return false;
            o.caFileFlag = true;
        } else if (a == "--identity-file") {
            if (!value(o.identityFile)) return false;
        } else if (a == "--support-trailer") {
            if (!value(o.supportTrailer)) return false;
        } else if (a == "--elevated-handover") {
            if (!value(o.elevatedHandover)) return false;
        } else if (a == "--consent-timeout") {
            if (!value(number)) return false;
            o.consentTimeout = std::max(1, std::atoi(number.c_str()));
        } else if (a == "--pin-ca") {
            o.pinCa = true;
        } else if (a == "--display") {
            if (!value(o.backend.display)) return false;
        } else if (a == "--seconds" || a == "--frames") {
            if (!value(number)) return false;
            (a == "--seconds" ? o.seconds : o.frames) = std::max(1, std::atoi(number.c_str()));
        } else {
            return false;
        }
    }
    auto env = [](std::string& field, const char* name) {
        if (const char* v = std::getenv(name); field.empty() && v) field = v;
    };
    env(o.server, "GURU_SERVER");
    env(o.agentId, "GURU_AGENT_ID");
    env(o.credential, "GURU_CREDENTIAL");
    env(o.caFile, "GURU_CA_FILE");
    env(o.identityFile, "GURU_IDENTITY_FILE");
    if (o.command.empty() && !o.server.empty()) o.command = "run";
    return true;
}

SessionSettings sessionSettings(const std::string& agentVersion) {
    SessionSettings settings;
    settings.video = platform::videoEncoders();
    settings.diagnostics = [agentVersion](std::chrono::steady_clock::time_point deadline) {
        platform::SnapshotOptions options;
        options.deadline = deadline;
        return diagnostics::buildReport(platform::collectSystemSnapshot(options), {agentVersion});
    };
    return settings;
}

}  // namespace guru::cli
