// "Run as administrator" in support mode (issue 18, docs/support.md §4.3), both ends:
// - ElevationOffer, in the unelevated agent: the session window's button; it relaunches this
//   program elevated (platform/elevation.h) and hands it the session: the identity key, the
//   end user's consent and each viewer's answer (core/elevation_handover.h). Once the child
//   says the server welcomed it, this process exits and keeps its file (the child runs it).
//   Declined or failed, the session goes on unelevated and the window says why.
// - receiveTakeover, in the elevated child (`--elevated-handover NAME`): reads the offer,
//   checks it is for the session of its own trailer; support mode then proves the same key,
//   so the server lets it replace the old connection and re-announces the viewers, who
//   verify the same pinned identity in a new key exchange.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/connection_manager.h"
#include "core/identity_key.h"
#include "core/log.h"
#include "core/support_session.h"
#include "platform/elevation.h"

namespace guru {

/// The unelevated agent's button and the relaunch behind it.
class ElevationOffer {
public:
    /// `offered`: whether the button shows at all (Windows, not elevated, not itself a
    /// takeover). `arguments`: the child's command line besides the pipe's flag.
    ElevationOffer(bool offered, std::vector<std::string> arguments, const envelope::Id128& sessionId,
                   const crypto::IdentityKey& identity, SupportSession& support, ConnectionManager& connection,
                   LogSink log);
    ~ElevationOffer();
    ElevationOffer(const ElevationOffer&) = delete;
    ElevationOffer& operator=(const ElevationOffer&) = delete;

    /// The button shows now (not while a relaunch runs).
    bool offered() const { return offered_ && !relaunch_; }
    /// The line under the technicians: progress, or why the last attempt did not elevate.
    const std::string& notice() const { return notice_; }
    /// Changes whenever offered() or notice() may have.
    std::uint64_t revision() const { return revision_; }

    /// The person pressed "Run as administrator".
    void start();
    /// From the main loop: true once the elevated agent has the session (this one exits).
    bool poll();

private:
    void settle(std::string notice);

    bool offered_;
    std::vector<std::string> arguments_;
    envelope::Id128 sessionId_;
    const crypto::IdentityKey& identity_;
    SupportSession& support_;
    ConnectionManager& connection_;
    LogSink log_;
    std::unique_ptr<platform::ElevatedRelaunch> relaunch_;
    std::shared_ptr<std::atomic<bool>> held_ = std::make_shared<std::atomic<bool>>(false);
    std::string notice_;
    std::uint64_t revision_ = 0;
};

/// What the elevated child received from the unelevated agent.
struct Takeover {
    std::unique_ptr<platform::HandoverChannel> channel;  // for the answer
    crypto::IdentitySeed seed{};                         // secret: wiped once the key exists
    ConsentRecord consent;
    bool answered = false;

    /// Tells the old agent whether this one is connected (once; later calls do nothing).
    void answer(bool connected, const LogSink& log);
};

/// How long the child has from its start to the server's Welcome before it gives up.
inline constexpr std::chrono::seconds kTakeoverConnectTimeout{30};

/// Opens the pipe named on the command line and reads the offer; refuses an offer for another
/// session than `sessionId` (the child's own trailer). Nothing (the reason logged) on failure.
std::optional<Takeover> receiveTakeover(std::string_view pipeArgument, const envelope::Id128& sessionId,
                                        const LogSink& log);

/// The notice for a relaunch that did not elevate (shown in the session window).
std::string elevationNotice(platform::RelaunchEnd end, const std::string& detail);

}  // namespace guru
