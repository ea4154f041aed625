// Support-mode policy: AgentStatus, consent gate, technicians' names, end of session.
#include "core/support_session.h"

#include <algorithm>

namespace guru {
namespace {

const char* statusName(envelope::SupportState s) {
    switch (s) {
        case envelope::SupportState::WaitingForConsent: return "waiting for consent";
        case envelope::SupportState::ConsentGiven: return "consent given";
        case envelope::SupportState::ConsentDeclined: return "consent declined";
        case envelope::SupportState::EndedByUser: return "ended by the user";
    }
    return "?";
}

constexpr std::size_t kMaxNames = 64;  // ViewerInfo for viewers that never joined

}  // namespace

SupportSession::SupportSession(EnvelopeSender& sender, ConnectionListener& session,
                               bool consentRequired, LogSink log)
    : sender_(sender), session_(session), log_(std::move(log)) {
    state_.consent = consentRequired ? ConsentState::Pending : ConsentState::Given;
    consentRequired_ = consentRequired;
}

std::vector<std::string> SupportView::names() const {
    std::vector<std::string> out;
    for (const TechnicianView& t : technicians) out.push_back(t.name);
    return out;
}

bool SupportView::anyAwaiting() const {
    for (const TechnicianView& t : technicians) {
        if (t.awaitingConsent) return true;
    }
    return false;
}

void SupportSession::useGate(ViewerGate& gate) {
    std::lock_guard lock(mutex_);
    gate_ = &gate;
    gate_->holdNewViewers(consentRequired_);
}

void SupportSession::refuseWaiting() {
    std::lock_guard lock(mutex_);
    for (std::uint32_t id : awaiting_) log("support: viewer " + std::to_string(id) + " not allowed by the end user");
    refused_.insert(awaiting_.begin(), awaiting_.end());
    awaiting_.clear();
    ++state_.technicianRevision;
}

void SupportSession::log(const std::string& line) const {
    if (log_) log_(line);
}

bool SupportSession::sendStatusLocked(envelope::SupportState state) {
    const bool sent = sender_.send(envelope::AgentStatus{state});
    log(std::string("support: AgentStatus ") + std::to_string(static_cast<int>(state)) + " (" +
        statusName(state) + (sent ? ") sent" : ") not sent: not connected"));
    return sent;
}

void SupportSession::connectionUp(const envelope::Welcome& welcome) {
    std::lock_guard lock(mutex_);
    state_.connected = true;
    state_.everConnected = true;
    session_.connectionUp(welcome);
    if (machine_) sender_.send(*machine_);
    // Every (re)connection tells the server where consent stands.
    if (state_.consent == ConsentState::Pending) {
        sendStatusLocked(envelope::SupportState::WaitingForConsent);
    } else if (state_.consent == ConsentState::Given) {
        sendStatusLocked(envelope::SupportState::ConsentGiven);
    }
}

void SupportSession::describeMachine(envelope::AgentInfo info) {
    std::lock_guard lock(mutex_);
    auto clip = [](std::string& text) {
        if (text.size() <= 255) return;
        std::size_t end = 255;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // whole UTF-8 characters
        text.resize(end);
    };
    clip(info.hostname);
    clip(info.osName);
    clip(info.userName);
    machine_ = std::move(info);
}

void SupportSession::connectionDown() {
    std::lock_guard lock(mutex_);
    state_.connected = false;
    if (!held_.empty()) log("support: " + std::to_string(held_.size()) + " held viewer(s) gone with the link");
    held_.clear();
    joined_.clear();
    names_.clear();
    awaiting_.clear();
    allowed_.clear();
    refused_.clear();
    carried_.allowed.clear();
    carried_.refused.clear();
    allowNext_ = false;
    ++state_.technicianRevision;
    session_.connectionDown();
}

void SupportSession::connectionRefused(envelope::RejectCode code) {
    if (code != envelope::RejectCode::BadCredential && code != envelope::RejectCode::UnknownSession) {
        return;  // rate limited, server error…: the manager retries
    }
    std::lock_guard lock(mutex_);
    if (state_.ended) return;
    state_.ended = SupportEnd{SupportEnd::Cause::Refused, static_cast<std::uint16_t>(code)};
    log("support: the server refused the session (reject code " +
        std::to_string(static_cast<int>(code)) + "): it is over");
}

void SupportSession::envelopeReceived(envelope::Message message) {
    std::lock_guard lock(mutex_);
    if (auto* info = std::get_if<envelope::ViewerInfo>(&message)) {
        if (names_.size() < kMaxNames || names_.count(info->viewerId)) {
            names_[info->viewerId] = info->name;
            ++state_.technicianRevision;
        }
        log("support: viewer " + std::to_string(info->viewerId) + " is \"" + info->name + "\"");
    } else if (auto* joined = std::get_if<envelope::ViewerJoined>(&message); joined && gate_) {
        if (state_.consent == ConsentState::Declined || joined_.size() >= kMaxHeldViewers * 4) {
            log("support: viewer " + std::to_string(joined->viewerId) + " ignored (no consent)");
            return;
        }
        const std::uint32_t id = joined->viewerId;
        joined_.insert(id);
        ++state_.technicianRevision;
        session_.envelopeReceived(std::move(message));  // the gate holds it: keys only
        if (!consentRequired_) return;
        const auto carried = [id](const std::vector<std::uint32_t>& ids) {
            return std::find(ids.begin(), ids.end(), id) != ids.end();
        };
        if (carried(carried_.allowed)) {
            gate_->admitViewer(id);
            allowed_.insert(id);
            log("support: viewer " + std::to_string(id) + " allowed (consent carried over from the unelevated agent)");
        } else if (carried(carried_.refused)) {
            refused_.insert(id);
            log("support: viewer " + std::to_string(id) + " stays refused (answer carried over)");
        } else if (allowNext_) {
            // Allowed before anyone joined: that answer was for the technician now here.
            allowNext_ = false;
            gate_->admitViewer(id);
            allowed_.insert(id);
            log("support: viewer " + std::to_string(id) + " allowed (consent given before it joined)");
        } else {
            awaiting_.insert(id);
            log("support: viewer " + std::to_string(id) + " waits for the end user's consent");
        }
    } else if (auto* joined = std::get_if<envelope::ViewerJoined>(&message)) {
        if (state_.consent == ConsentState::Given) {
            joined_.insert(joined->viewerId);
            ++state_.technicianRevision;
            session_.envelopeReceived(std::move(message));
        } else if (state_.consent == ConsentState::Pending && held_.size() < kMaxHeldViewers) {
            joined_.insert(joined->viewerId);
            ++state_.technicianRevision;
            held_[joined->viewerId] = Held{*joined, {}};
            log("support: viewer " + std::to_string(joined->viewerId) + " held until consent");
        } else {
            log("support: viewer " + std::to_string(joined->viewerId) + " ignored (no consent)");
        }
    } else if (auto* left = std::get_if<envelope::ViewerLeft>(&message)) {
        joined_.erase(left->viewerId);
        names_.erase(left->viewerId);
        awaiting_.erase(left->viewerId);
        allowed_.erase(left->viewerId);
        refused_.erase(left->viewerId);
        ++state_.technicianRevision;
        if (held_.erase(left->viewerId) > 0) {
            log("support: held viewer " + std::to_string(left->viewerId) + " left");
        } else {
            session_.envelopeReceived(std::move(message));
        }
    } else if (auto* relay = std::get_if<envelope::Relay>(&message); relay && gate_) {
        if (joined_.count(relay->peerId)) session_.envelopeReceived(std::move(message));
    } else if (auto* relay = std::get_if<envelope::Relay>(&message)) {
        if (auto it = held_.find(relay->peerId); it != held_.end()) {
            if (it->second.records.size() < kMaxHeldRecords) it->second.records.push_back(*relay);
        } else if (state_.consent == ConsentState::Given) {
            session_.envelopeReceived(std::move(message));
        }
    } else if (auto* end = std::get_if<envelope::SessionEnd>(&message)) {
        if (!state_.ended) {
            state_.ended = SupportEnd{SupportEnd::Cause::SessionEnd, end->reason};
            log("support: session ended by the server (reason " + std::to_string(end->reason) + ")");
        }
        held_.clear();
        session_.envelopeReceived(std::move(message));
    } else {
        session_.envelopeReceived(std::move(message));
    }
}

void SupportSession::giveConsent() {
    std::lock_guard lock(mutex_);
    const bool first = state_.consent == ConsentState::Pending;
    if (first) {
        state_.consent = ConsentState::Given;
        log("support: consent given");
        sendStatusLocked(envelope::SupportState::ConsentGiven);  // before any picture
    }
    if (gate_) {
        // Per viewer: everyone waiting now is allowed, the first answer is also the session's.
        for (std::uint32_t id : awaiting_) gate_->admitViewer(id);
        allowed_.insert(awaiting_.begin(), awaiting_.end());
        if (!awaiting_.empty()) log("support: " + std::to_string(awaiting_.size()) + " viewer(s) allowed");
        allowNext_ = first && awaiting_.empty();
        awaiting_.clear();
        ++state_.technicianRevision;
        return;
    }
    if (!first) return;
    std::map<std::uint32_t, Held> released;
    released.swap(held_);
    if (!released.empty()) log("support: releasing " + std::to_string(released.size()) + " held viewer(s)");
    for (auto& [id, held] : released) {
        session_.envelopeReceived(held.joined);
        for (auto& record : held.records) session_.envelopeReceived(std::move(record));
    }
}

void SupportSession::declineConsent(bool timedOut) {
    std::lock_guard lock(mutex_);
    if (state_.consent != ConsentState::Pending) return;
    state_.consent = ConsentState::Declined;
    log(timedOut ? "support: consent timed out" : "support: consent declined");
    held_.clear();
    awaiting_.clear();
    sendStatusLocked(envelope::SupportState::ConsentDeclined);
}

bool SupportSession::endByUser() {
    std::lock_guard lock(mutex_);
    log("support: ended by the user");
    return sendStatusLocked(envelope::SupportState::EndedByUser);
}

ConsentRecord SupportSession::consentRecord() const {
    std::lock_guard lock(mutex_);
    return {state_.consent == ConsentState::Given, {allowed_.begin(), allowed_.end()}, {refused_.begin(), refused_.end()}};
}

void SupportSession::carryOver(const ConsentRecord& record) {
    std::lock_guard lock(mutex_);
    if (!record.consentGiven) return;  // answers without the session's consent admit nobody
    state_.consent = ConsentState::Given;
    carried_ = record;
}

SupportView SupportSession::view() const {
    std::lock_guard lock(mutex_);
    SupportView v = state_;
    v.technicians.clear();
    for (std::uint32_t id : joined_) {
        auto it = names_.find(id);
        v.technicians.push_back({id, it == names_.end() ? std::string() : it->second, awaiting_.count(id) > 0});
    }
    return v;
}

}  // namespace guru
