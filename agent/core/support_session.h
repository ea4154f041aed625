// The one-time support agent's session policy (docs/support.md §4), between the connection
// manager and the ordinary session loop: it reports AgentStatus, holds joining viewers
// until the person at the machine consents (no key share, no pixel before that), keeps the
// technicians' names from ViewerInfo, and notices when the server ends the session.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/connection_manager.h"
#include "core/log.h"
#include "core/viewer_gate.h"

namespace guru {

/// Where the end user's consent stands.
enum class ConsentState : std::uint8_t { Pending, Given, Declined };

/// Why the server ended a support session.
struct SupportEnd {
    enum class Cause : std::uint8_t { SessionEnd, Refused } cause = Cause::SessionEnd;
    std::uint16_t reason = 0;  // SessionEnd reason, or the Reject code
};

/// One joined viewer as the end user's windows show it.
struct TechnicianView {
    std::uint32_t viewerId = 0;
    std::string name;              // from ViewerInfo ("" if not yet known)
    bool awaitingConsent = false;  // held until the end user allows it (consent per viewer)
    bool operator==(const TechnicianView&) const = default;
};

/// What main's loop needs to know, copied under the lock.
struct SupportView {
    bool connected = false;       // the link is up now
    bool everConnected = false;   // a Welcome has been received at least once
    ConsentState consent = ConsentState::Pending;
    std::optional<SupportEnd> ended;
    std::vector<TechnicianView> technicians;  // joined viewers, by viewer id
    std::uint64_t technicianRevision = 0;     // changes whenever `technicians` may have

    /// The joined viewers' names.
    std::vector<std::string> names() const;
    /// True while a joined viewer waits for the end user's answer.
    bool anyAwaiting() const;
};

/// What the end user has answered, for the handover to the same agent relaunched elevated
/// (support_elevation.h): consent, and each joined viewer allowed or refused.
struct ConsentRecord {
    bool consentGiven = false;
    std::vector<std::uint32_t> allowed;
    std::vector<std::uint32_t> refused;
    bool operator==(const ConsentRecord&) const = default;
};

/// Wraps the session loop (`session`) for support mode; give it to ConnectionManager::start.
class SupportSession final : public ConnectionListener {
public:
    /// Viewers held before consent, and records kept per held viewer (its KeyShare).
    static constexpr std::size_t kMaxHeldViewers = 16;
    static constexpr std::size_t kMaxHeldRecords = 4;

    SupportSession(EnvelopeSender& sender, ConnectionListener& session, bool consentRequired,
                   LogSink log);

    void connectionUp(const envelope::Welcome& welcome) override;
    void envelopeReceived(envelope::Message message) override;
    void connectionDown() override;
    void connectionRefused(envelope::RejectCode code) override;

    /// The person allowed: AgentStatus 2, then the held viewers' key exchanges start.
    void giveConsent();
    /// The person declined (or did not answer): AgentStatus 3; held viewers get nothing.
    void declineConsent(bool timedOut);
    /// The person pressed End: AgentStatus 4. True if it reached the connection.
    bool endByUser();

    SupportView view() const;

    /// What to tell the server about this machine on every connection (AgentInfo); call before start.
    void describeMachine(envelope::AgentInfo info);

    /// With a gate (the session loop), consent is asked per viewer: every viewer passes to the
    /// session at once and agrees its keys (the consent window shows its code), but the gate
    /// holds its stream and input until the end user allows it; each later viewer is asked
    /// again. Without one, viewers are held here, before any key exchange. Call before start.
    void useGate(ViewerGate& gate);
    /// The end user declined the viewers waiting now, after consent was given to earlier ones:
    /// they stay held (no picture, no input) and are not asked about again.
    void refuseWaiting();

    /// What the end user has allowed and refused so far (gated mode).
    ConsentRecord consentRecord() const;
    /// This process takes the session over from the unelevated agent: consent is given, and
    /// the viewers the server announces again on the first connection keep their answers (no
    /// second prompt); any other viewer is asked as usual. Call before start, after useGate.
    void carryOver(const ConsentRecord& record);

private:
    struct Held {
        envelope::ViewerJoined joined;
        std::vector<envelope::Relay> records;
    };

    bool sendStatusLocked(envelope::SupportState state);
    void log(const std::string& line) const;

    EnvelopeSender& sender_;
    ConnectionListener& session_;
    LogSink log_;

    mutable std::mutex mutex_;  // also serialises every call into session_
    SupportView state_;
    std::map<std::uint32_t, Held> held_;
    std::set<std::uint32_t> joined_;
    std::map<std::uint32_t, std::string> names_;
    std::optional<envelope::AgentInfo> machine_;
    ViewerGate* gate_ = nullptr;
    bool consentRequired_ = true;
    std::set<std::uint32_t> awaiting_;  // gated: joined, not yet allowed, not refused
    bool allowNext_ = false;            // gated: consent given with nobody waiting: the next viewer has it
    std::set<std::uint32_t> allowed_;   // gated: joined and allowed by the end user
    std::set<std::uint32_t> refused_;   // gated: joined and refused
    ConsentRecord carried_;             // from the unelevated agent, until the first link drops
};

}  // namespace guru
