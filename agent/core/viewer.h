// One joined viewer as the session sees it: its E2E channel, flow-control window, the
// tiles it has not been sent yet and which of its tiles still await a lossless refinement.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/e2e_handshake.h"
#include "core/envelope.h"
#include "core/frame_window.h"
#include "core/link_quality.h"

namespace guru {

/// Per-viewer session state. `channel` is guarded by `channelMutex` (the network thread
/// opens, the stream thread seals); the rest by the session's mutex.
struct Viewer {
    Viewer(std::uint32_t id, envelope::ViewerMode mode, crypto::AgentHandshake handshake)
        : id(id), mode(mode), handshake(std::move(handshake)) {}

    const std::uint32_t id;
    const envelope::ViewerMode mode;
    const crypto::AgentHandshake handshake;  // this viewer's own ephemeral key, signed with the identity

    std::mutex channelMutex;
    std::optional<crypto::E2eChannel> channel;  // reset when the agent closes the channel
    bool confirmed = false;                     // KeyConfirm sent (guarded by channelMutex)

    bool ready = false;        // keys derived and admitted: it gets pictures, its input counts
    bool admitted = true;      // false while the end user has not allowed it (ViewerGate)
    std::string code;          // the 6-digit code once the keys are agreed
    bool needsIntro = true;    // layout, cursor and a full screen not yet sent
    bool warnedViewOnly = false;
    FrameWindow window;
    LinkQuality link;  // frame round trips → the quality this viewer gets
    std::vector<bool> pendingTiles;  // per tile of the current grid, not yet sent
    std::vector<bool> lossyTiles;    // per tile: what this viewer has is JPEG
    std::vector<bool> refineTiles;   // per tile: pending as a lossless refinement
    std::size_t nextTile = 0;        // where the next frame starts taking pending tiles
    /// Diagnostics requests not answered yet, and answers the screen thread has yet to seal.
    std::size_t diagnosticsAsked = 0;
    std::vector<std::pair<std::uint32_t, std::shared_ptr<const std::string>>> diagnosticsReports;
};

}  // namespace guru
