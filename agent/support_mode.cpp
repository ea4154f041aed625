// Support mode's main loop: the connection and screen threads run as in unattended mode;
// this thread owns the windows, polls them between short waits for SIGINT/SIGTERM, and
// turns the person's answers into SupportSession calls.
#include "support_mode.h"

#include <cstdlib>
#include <string_view>

#include "core/connection_manager.h"
#include "core/secure_wipe.h"
#include "core/self_deletion.h"
#include "core/session_loop.h"
#include "core/support_session.h"
#include "options.h"
#include "platform/elevation.h"
#include "platform/file_removal.h"
#include "platform/process.h"
#include "platform/transport.h"

namespace guru {
namespace {

constexpr std::chrono::milliseconds kPollInterval{50};

enum class Phase : std::uint8_t { Connecting, AskingConsent, Active };

// The people the windows name: who is waiting for an answer, or who is connected, with the
// code each one's channel shows (once its keys are agreed).
std::vector<platform::Technician> people(const SupportView& v, const ViewerGate& gate, bool awaiting) {
    std::vector<platform::Technician> out;
    for (const TechnicianView& t : v.technicians) {
        if (t.awaitingConsent != awaiting) continue;
        out.push_back({t.name, gate.shortAuthString(t.viewerId).value_or("")});
    }
    return out;
}

}  // namespace

int runSupportMode(const SupportModeOptions& o, const LogSink& log) {
    const support::SupportConfig& c = o.config;
    platform::blockTerminationSignals();  // before any thread starts
    if (platform::hideOwnConsoleWindow()) log("support: console window hidden (started on its own)");
    const std::string where = std::string(c.agentUrl.tls ? "wss://" : "ws://") +
                              c.agentUrl.hostHeader() + c.agentUrl.path;
    log("support: mode on (session " + c.sessionHex + ", code " + c.code + ", server " + where +
        ", consent " + (c.consentRequired ? "required" : "not required") + ")");

    auto backend = platform::openBackend(o.backend);
    if (!backend) {
        log(std::string("support: no display backend (") + platform::name(backend.error()) +
            "): no windows, viewers cannot control");
    }
    platform::UserPrompt* prompt = backend ? backend->prompt.get() : nullptr;

    ConnectionSettings settings;
    settings.server = c.agentUrl;
    settings.transport.caFile = o.caFile;
    settings.transport.caFileOnly = o.pinCa;
    const ByteView secret = asBytes(c.secret);
    // The session belongs to the first key that proves itself: a fresh one, kept in memory for
    // this process only, so reconnects prove the same key (and it signs the KeyShares). An
    // elevated child takes the unelevated agent's key over, so the server and the viewers'
    // pins see the same machine.
    const std::shared_ptr<Takeover> takeover = o.takeover;
    auto created = takeover ? crypto::IdentityKey::fromSeed(takeover->seed) : crypto::IdentityKey::generate();
    if (takeover) secureWipe(takeover->seed);
    if (!created) {
        log(std::string("support: cannot create the identity key: ") + crypto::name(created.error()));
        return 1;
    }
    const auto identity = std::make_shared<const crypto::IdentityKey>(std::move(*created));
    settings.identity = {c.sessionId, Bytes(secret.begin(), secret.end()), o.agentVersion, identity};
    ConnectionManager connection(settings, platform::connectTransport, log);
    const platform::BackendOptions display = o.backend;
    SessionLoop session(connection, *identity, [display] { return platform::openCapturer(display); },
                        backend ? backend->input.get() : nullptr,
                        backend ? backend->clipboard.get() : nullptr, log, cli::sessionSettings(o.agentVersion));
    SupportSession support(connection, session, c.consentRequired, log);
    support.useGate(session);  // consent per viewer, with the code of each one's channel
    if (takeover) support.carryOver(takeover->consent);
    if (backend && backend->system) {
        const platform::SystemDescription machine = backend->system->describe();
        support.describeMachine({machine.hostname, machine.osName + " " + machine.osVersion, machine.userName});
    }
    // Offered on Windows to an unelevated agent; GURU_TEST_OFFER_ELEVATION=1 offers it anyway
    // (Wine reports every process elevated, platform/win32/README.md).
    const char* testOffer = std::getenv("GURU_TEST_OFFER_ELEVATION");
    const bool elevated = backend && backend->input && backend->input->elevated();
    const bool offerElevation = !takeover && prompt && platform::canRelaunchElevated() &&
                                (!elevated || (testOffer && std::string_view(testOffer) == "1"));
    ElevationOffer elevation(offerElevation, o.relaunchArguments, c.sessionId, *identity, support, connection, log);
    session.start();
    connection.start(support);
    const auto takeoverDeadline = std::chrono::steady_clock::now() + kTakeoverConnectTimeout;
    bool handedOver = false;  // the elevated agent has the session: exit, keep the file

    Phase phase = Phase::Connecting;
    bool windowShown = false;
    bool askedBefore = false;  // consent was given once: a later No refuses only the new viewers
    std::vector<platform::Technician> shownPeople;
    std::uint64_t shownElevation = ~std::uint64_t{0};  // the elevation offer's revision shown
    bool over = false;  // the session is over for good: delete the file
    for (;;) {
        if (const char* signal = platform::waitForTermination(kPollInterval)) {
            log(std::string("stopping (") + signal + ")");
            break;
        }
        const SupportView v = support.view();
        if (takeover && !takeover->answered) {
            if (v.connected) {
                takeover->answer(true, log);  // the old agent exits now
            } else if (v.ended || std::chrono::steady_clock::now() >= takeoverDeadline) {
                log("support: the server did not welcome the elevated agent in time: the unelevated one goes on");
                takeover->answer(false, log);
                break;  // the file stays: the old agent still runs from it
            }
        }
        if (v.ended) {
            over = true;
            break;
        }
        const bool asking = phase == Phase::AskingConsent;
        const auto waiting = people(v, session, true);
        // First the session's consent (at connect), later each new viewer's.
        const bool askNow = !asking && prompt &&
                            ((phase == Phase::Connecting && v.everConnected && v.consent == ConsentState::Pending) ||
                             (phase == Phase::Active && v.anyAwaiting()));
        if (phase == Phase::Connecting && v.everConnected && v.consent == ConsentState::Given) phase = Phase::Active;
        if (phase == Phase::Connecting && v.everConnected && v.consent == ConsentState::Pending && !prompt) {
            log("support: cannot show the consent prompt: declining");
            support.declineConsent(false);
            over = true;
            break;
        }
        if (askNow) {
            if (!prompt->showConsent({c.company, o.consentTimeout, waiting})) {
                log("support: cannot show the consent prompt: declining");
                support.declineConsent(false);
                over = true;
                break;
            }
            log(askedBefore ? "support: consent prompt shown again (a new technician)" : "support: consent prompt shown");
            phase = Phase::AskingConsent;
            windowShown = false;
            shownPeople = waiting;
        }
        if (phase == Phase::AskingConsent) {
            if (waiting != shownPeople) {  // a name or a code arrived
                (void)prompt->updateConsent({c.company, o.consentTimeout, waiting});
                shownPeople = waiting;
            }
            if (auto answer = prompt->pollConsent()) {
                if (*answer == platform::Consent::Allowed) {
                    support.giveConsent();
                } else if (askedBefore) {
                    support.refuseWaiting();  // the others stay connected
                } else {
                    support.declineConsent(*answer == platform::Consent::TimedOut);
                    over = true;
                    break;
                }
                askedBefore = true;
                phase = Phase::Active;
            }
        }
        if (phase == Phase::Active && prompt) {
            const auto connected = people(support.view(), session, false);
            if (elevation.revision() != shownElevation) {
                prompt->setElevationOffer(elevation.offered(), elevation.notice());
                shownElevation = elevation.revision();
                windowShown = false;
            }
            if (!windowShown || connected != shownPeople) {
                auto shown = prompt->showSessionActive(connected);
                if (!shown) {
                    log(std::string("support: cannot show the session window (") +
                        platform::name(shown.error()) + ")");
                    prompt = nullptr;
                    continue;
                }
                if (!windowShown) log("support: session window shown");
                windowShown = true;
                shownPeople = connected;
            }
            if (prompt->pollEndRequested()) {
                support.endByUser();
                over = true;
                break;
            }
            if (prompt->pollElevationRequested()) elevation.start();
        }
        if (elevation.poll()) {
            handedOver = true;
            break;
        }
    }
    if (prompt) prompt->close();
    connection.stop();  // first: no more events reach the session
    session.stop();
    if (handedOver) {
        log("support: handed over to the elevated agent");
    } else if (over && o.ownFile.empty()) {
        log("support: session over (the installed agent keeps its file)");
    } else if (over) {
        // Deleted now, after exit (Windows' running .exe), or at the next reboot or login.
        const auto remover = platform::openFileRemover();
        (void)deleteOwnFile(*remover, o.ownFile, log);
    }
    log("stopped");
    return 0;
}

}  // namespace guru
