// The agent's link to the server: dial ws:// or wss://, AgentHello → [AgentChallenge →
// AgentProof →] Welcome or Reject,
// Ping/Pong heartbeats (3 missed intervals = dead), and reconnect with jittered
// exponential backoff after any drop. One owned thread, joined by stop().
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/backoff.h"
#include "core/envelope.h"
#include "core/identity_key.h"
#include "core/log.h"
#include "core/ws_client.h"

namespace guru {

/// Who the agent is to the server.
struct AgentIdentity {
    envelope::Id128 agentId{};
    Bytes credential;
    std::string version;
    /// Answers the server's AgentChallenge (docs/protocol.md §1.1); shared, because the key
    /// outlives every connection (and, for an unattended agent, the process: it is persisted).
    std::shared_ptr<const crypto::IdentityKey> key;
};

/// Everything the connection manager needs to know.
struct ConnectionSettings {
    WsUrl server;
    /// CA file and timeouts; host, port and TLS come from `server`.
    platform::TransportOptions transport;
    AgentIdentity identity;
    BackoffPolicy backoff;
    std::chrono::milliseconds welcomeTimeout{10000};
};

/// Sends envelope messages to the server; false when not connected (the message is lost).
class EnvelopeSender {
public:
    virtual ~EnvelopeSender() = default;
    virtual bool send(const envelope::Message& message) = 0;
};

/// Told about the connection's life, on the connection thread. Must not throw.
class ConnectionListener {
public:
    virtual ~ConnectionListener() = default;
    /// Welcome received: the link is authenticated (its connection id and heartbeat interval).
    virtual void connectionUp(const envelope::Welcome& welcome) = 0;
    /// ViewerJoined, ViewerLeft, ViewerInfo, SessionEnd, Relay or WakeOnLan from the server.
    virtual void envelopeReceived(envelope::Message message) = 0;
    /// The authenticated link dropped (every viewer is gone with it).
    virtual void connectionDown() = 0;
    /// The server answered the hello (or a live link) with Reject; the manager retries
    /// after a delay unless stopped. Only listeners that care override it.
    virtual void connectionRefused(envelope::RejectCode) {}
};

/// Keeps one authenticated connection to the server up, for as long as it runs.
class ConnectionManager final : public EnvelopeSender {
public:
    ConnectionManager(ConnectionSettings settings, ws::Dialer dial, LogSink log);
    ~ConnectionManager() override;
    ConnectionManager(const ConnectionManager&) = delete;
    ConnectionManager& operator=(const ConnectionManager&) = delete;

    /// Starts the connection thread; `listener` must outlive stop().
    void start(ConnectionListener& listener);
    /// Closes the connection and joins the thread. Idempotent.
    void stop();

    bool send(const envelope::Message& message) override;

    /// While held, a dropped link is not dialled again: the elevated agent is taking this
    /// process's place (support_elevation.h), and a reconnect would take it back. The current
    /// link stays up until the server replaces it. Releasing resumes the usual schedule.
    void holdReconnects(bool hold);

    /// Authenticated connections made so far (tests and logs).
    std::uint32_t connectionsMade() const { return connections_.load(); }

private:
    enum class Ending : std::uint8_t { Dropped, Refused, Stopping };

    void run();
    Ending converse(ws::WebSocketClient& ws, Backoff& backoff);
    /// Signs the server's challenge with the identity key; false if there is none or it failed.
    bool answerChallenge(ws::WebSocketClient& ws, const envelope::AgentChallenge& challenge);
    bool sendOn(ws::WebSocketClient& ws, const envelope::Message& message);
    void log(const std::string& line) const;

    ConnectionSettings settings_;
    ws::Dialer dial_;
    LogSink log_;
    ConnectionListener* listener_ = nullptr;

    std::atomic<bool> stopping_{false};
    bool holding_ = false;  // guarded by mutex_
    std::atomic<std::uint32_t> connections_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<ws::WebSocketClient> active_;  // guarded by mutex_
    bool authenticated_ = false;                   // guarded by mutex_
    std::thread thread_;
};

}  // namespace guru
