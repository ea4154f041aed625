// Connection manager: hello, heartbeats, reconnect loop.
#include "core/connection_manager.h"

#include <gcrypt.h>

#include <exception>

#include "core/agent_proof.h"
#include "core/gcrypt_handles.h"

namespace guru {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// An envelope frame is one WebSocket message: 8 header bytes plus at most 1 MiB.
constexpr std::size_t kMaxMessage = envelope::kHeaderSize + envelope::kMaxPayload;

const char* rejectName(envelope::RejectCode code) {
    switch (code) {
        case envelope::RejectCode::BadCredential: return "bad credential";
        case envelope::RejectCode::UnknownSession: return "unknown session";
        case envelope::RejectCode::UnsupportedVersion: return "unsupported version";
        case envelope::RejectCode::RateLimited: return "rate limited";
        case envelope::RejectCode::ServerError: return "server error";
        case envelope::RejectCode::SessionFull: return "session full";
    }
    return "?";
}

// Refusals that an immediate retry cannot fix back off to the cap.
bool deservesPenalty(envelope::RejectCode code) {
    return code == envelope::RejectCode::BadCredential || code == envelope::RejectCode::RateLimited ||
           code == envelope::RejectCode::UnsupportedVersion;
}

}  // namespace

ConnectionManager::ConnectionManager(ConnectionSettings settings, ws::Dialer dial, LogSink log)
    : settings_(std::move(settings)), dial_(std::move(dial)), log_(std::move(log)) {}

ConnectionManager::~ConnectionManager() { stop(); }

void ConnectionManager::log(const std::string& line) const {
    if (log_) log_(line);
}

void ConnectionManager::start(ConnectionListener& listener) {
    if (thread_.joinable()) return;
    listener_ = &listener;
    stopping_ = false;
    thread_ = std::thread([this] {
        // Nothing may unwind out of a thread (that would std::terminate the agent); errors
        // are values here, so this only catches allocation failure.
        try {
            run();
        } catch (const std::exception& e) {
            log(std::string("connection: thread failed: ") + e.what());
        }
    });
}

void ConnectionManager::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (active_) {
            if (authenticated_) active_->closeIfIdle(1001);  // "going away"
            active_->interrupt();
        }
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ConnectionManager::holdReconnects(bool hold) {
    {
        std::lock_guard lock(mutex_);
        holding_ = hold;
    }
    log(hold ? "connection: reconnects held (the session is being handed over)" : "connection: reconnects resumed");
    wake_.notify_all();
}

bool ConnectionManager::send(const envelope::Message& message) {
    std::shared_ptr<ws::WebSocketClient> ws;
    {
        std::lock_guard lock(mutex_);
        if (!authenticated_) return false;
        ws = active_;
    }
    return ws && sendOn(*ws, message);
}

bool ConnectionManager::sendOn(ws::WebSocketClient& ws, const envelope::Message& message) {
    auto frame = envelope::encodeFrame(message);
    if (!frame) {
        log(std::string("connection: cannot encode message: ") + envelope::name(frame.error()));
        return false;
    }
    if (!ws.sendBinary(*frame)) {
        ws.interrupt();  // the receive loop notices and reconnects
        return false;
    }
    return true;
}

void ConnectionManager::run() {
    // Jitter from libgcrypt's nonce generator (already linked; <random> would add libstdc++).
    crypto::ensureInitialised();
    Backoff backoff(settings_.backoff, [] {
        std::uint64_t bits = 0;
        gcry_create_nonce(&bits, sizeof bits);
        return static_cast<double>(bits >> 11) * 0x1.0p-53;  // uniform in [0, 1)
    });
    const std::string where = std::string(settings_.server.tls ? "wss://" : "ws://") +
                              settings_.server.hostHeader() + settings_.server.path;
    while (!stopping_) {
        log("connection: connecting to " + where);
        auto client = ws::WebSocketClient::connect(dial_, settings_.server, settings_.transport,
                                                   kMaxMessage, &stopping_);
        Ending ending = Ending::Dropped;
        if (!client) {
            if (stopping_) break;
            log("connection: failed: " + ws::describe(client.error()));
        } else {
            std::shared_ptr<ws::WebSocketClient> ws(std::move(*client));
            {
                std::lock_guard lock(mutex_);
                active_ = ws;
                if (stopping_) ws->interrupt();
            }
            ending = converse(*ws, backoff);
            bool wasUp = false;
            {
                std::lock_guard lock(mutex_);
                wasUp = authenticated_;
                authenticated_ = false;
                active_.reset();
            }
            ws->interrupt();  // a sender still holding it fails fast instead of blocking
            if (wasUp) {
                backoff.disconnected(Clock::now());
                listener_->connectionDown();
            }
        }
        if (ending == Ending::Stopping || stopping_) break;
        {
            // Released by the handover's end (its own deadline bounds it) or by stop().
            std::unique_lock lock(mutex_);
            if (holding_) log("connection: not reconnecting while the session is handed over");
            wake_.wait(lock, [this] { return stopping_.load() || !holding_; });
            if (stopping_) break;
        }
        const milliseconds delay = ending == Ending::Refused ? backoff.penaltyDelay() : backoff.nextDelay();
        log("connection: reconnecting in " + std::to_string(delay.count()) + " ms");
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
    }
    log("connection: stopped");
}

bool ConnectionManager::answerChallenge(ws::WebSocketClient& ws, const envelope::AgentChallenge& challenge) {
    const auto& id = settings_.identity;
    if (!id.key) {
        log("connection: the server asks for an identity proof, but this agent has no identity key");
        return false;
    }
    auto proof = crypto::proveAgent(*id.key, id.agentId, challenge);
    if (!proof) {
        log(std::string("connection: cannot sign the identity proof: ") + crypto::name(proof.error()));
        return false;
    }
    return sendOn(ws, *proof);
}

ConnectionManager::Ending ConnectionManager::converse(ws::WebSocketClient& ws, Backoff& backoff) {
    const auto& id = settings_.identity;
    if (!sendOn(ws, envelope::AgentHello{id.agentId, id.credential, id.version})) {
        return stopping_ ? Ending::Stopping : Ending::Dropped;
    }
    // Until Welcome: answer pings, refuse anything else.
    const auto welcomeBy = Clock::now() + settings_.welcomeTimeout;
    std::optional<envelope::Welcome> welcome;
    while (!welcome) {
        const auto left = std::chrono::duration_cast<milliseconds>(welcomeBy - Clock::now());
        if (left.count() <= 0) {
            log("connection: no Welcome in time");
            return Ending::Dropped;
        }
        auto received = ws.receive(left);
        if (!received) {
            if (stopping_) return Ending::Stopping;
            log("connection: lost before Welcome: " + ws::describe(received.error()));
            return Ending::Dropped;
        }
        if (!*received) continue;
        auto message = envelope::decodeFrame(**received);
        if (!message) {
            log(std::string("connection: bad frame: ") + envelope::name(message.error()));
            ws.sendClose(1002);
            return Ending::Dropped;
        }
        if (auto* w = std::get_if<envelope::Welcome>(&*message)) {
            welcome = *w;
        } else if (auto* r = std::get_if<envelope::Reject>(&*message)) {
            log(std::string("connection: rejected: ") + rejectName(r->code));
            ws.sendClose(1000);
            listener_->connectionRefused(r->code);
            return deservesPenalty(r->code) ? Ending::Refused : Ending::Dropped;
        } else if (auto* p = std::get_if<envelope::Ping>(&*message)) {
            if (!sendOn(ws, envelope::Pong{p->nonce})) return Ending::Dropped;
        } else if (auto* challenge = std::get_if<envelope::AgentChallenge>(&*message)) {
            if (!answerChallenge(ws, *challenge)) {
                ws.sendClose(1000);
                return Ending::Refused;
            }
        } else {
            log("connection: unexpected message before Welcome");
            ws.sendClose(1002);
            return Ending::Dropped;
        }
    }

    const milliseconds interval(std::int64_t{welcome->heartbeatSeconds} * 1000);
    {
        std::lock_guard lock(mutex_);
        authenticated_ = true;
    }
    backoff.connected(Clock::now());
    ++connections_;
    log("connection: connected (connection " + std::to_string(welcome->connectionId) +
        ", heartbeat " + std::to_string(welcome->heartbeatSeconds) + " s)");
    listener_->connectionUp(*welcome);

    auto lastHeard = Clock::now();
    auto nextPing = lastHeard + interval;
    std::uint64_t nonce = 1;
    for (;;) {
        if (stopping_) {
            ws.sendClose(1001);
            return Ending::Stopping;
        }
        const auto now = Clock::now();
        if (now - lastHeard >= 3 * interval) {
            log("connection: heartbeat lost (3 intervals silent)");
            return Ending::Dropped;
        }
        if (now >= nextPing) {
            if (!sendOn(ws, envelope::Ping{nonce++})) {
                return stopping_ ? Ending::Stopping : Ending::Dropped;
            }
            nextPing = now + interval;
        }
        const auto wakeAt = std::min(nextPing, lastHeard + 3 * interval);
        const auto wait = std::max(milliseconds(1),
                                   std::chrono::duration_cast<milliseconds>(wakeAt - Clock::now()));
        auto received = ws.receive(wait);
        if (!received) {
            if (stopping_) return Ending::Stopping;
            log("connection: lost: " + ws::describe(received.error()));
            return Ending::Dropped;
        }
        if (!*received) continue;
        lastHeard = Clock::now();
        auto message = envelope::decodeFrame(**received);
        if (!message) {
            log(std::string("connection: bad frame: ") + envelope::name(message.error()));
            ws.sendClose(1002);
            return Ending::Dropped;
        }
        if (auto* p = std::get_if<envelope::Ping>(&*message)) {
            if (!sendOn(ws, envelope::Pong{p->nonce})) return Ending::Dropped;
        } else if (std::holds_alternative<envelope::Pong>(*message)) {
            // liveness only; lastHeard was updated above
        } else if (auto* r = std::get_if<envelope::Reject>(&*message)) {
            log(std::string("connection: rejected: ") + rejectName(r->code));
            listener_->connectionRefused(r->code);
            return deservesPenalty(r->code) ? Ending::Refused : Ending::Dropped;
        } else if (std::holds_alternative<envelope::ViewerJoined>(*message) ||
                   std::holds_alternative<envelope::ViewerLeft>(*message) ||
                   std::holds_alternative<envelope::ViewerInfo>(*message) ||
                   std::holds_alternative<envelope::SessionEnd>(*message) ||
                   std::holds_alternative<envelope::Relay>(*message) ||
                   std::holds_alternative<envelope::WakeOnLan>(*message)) {
            listener_->envelopeReceived(std::move(*message));
        } else {
            log("connection: unexpected message from server");
            ws.sendClose(1002);
            return Ending::Dropped;
        }
    }
}

}  // namespace guru
