// The remote-control session: per-viewer E2E key exchange, screen streaming with
// viewer-driven flow control, and input from control-mode viewers. The network side runs
// on the connection thread (ConnectionListener); the screen side on one owned thread that
// holds a capturer only while at least one viewer's keys are agreed.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "core/connection_manager.h"
#include "core/diagnostics_runner.h"
#include "core/encode_manager.h"
#include "core/video_encoder.h"
#include "core/log.h"
#include "core/viewer.h"
#include "core/viewer_gate.h"
#include "platform/platform.h"

namespace guru {

/// Opens a screen capturer (platform::openCapturer in the agent).
using CapturerFactory = std::function<
    Result<std::unique_ptr<platform::ScreenCapturer>, platform::BackendError>()>;

/// Session tuning.
struct SessionSettings {
    /// Frames sent but not yet acknowledged, per viewer.
    std::uint32_t framesInFlight = 2;
    /// With the window full and no ack for this long, resend the whole screen.
    std::chrono::milliseconds ackStall{3000};
    /// How long one capture call waits for damage.
    std::chrono::milliseconds captureWait{100};
    /// Most TileUpdates (merged rectangles, core/tile_merge.h) in one frame; the rest wait
    /// for the next. The relay keeps at most 64 messages per viewer and drops the oldest
    /// (docs/api.md), so framesInFlight × (this + a few cursor/FrameEnd records) must stay
    /// under 64 or updates are lost on the way.
    std::size_t tilesPerFrame = 28;
    /// A tile sent as JPEG is resent lossless once it has not changed for this long.
    std::chrono::milliseconds refineAfter{500};
    /// Opens a video stream per viewer for full-screen motion (platform::videoEncoders);
    /// empty: tiles only.
    VideoEncoderFactory video;
    EncodeSettings encode;
    /// Gathers a DiagnosticsReport's JSON (core/diagnostics_report.h over
    /// platform::collectSystemSnapshot in the agent); empty: requests are logged and ignored.
    DiagnosticsCollector diagnostics;
};

/// Most DiagnosticsRequests one viewer may have unanswered; more are dropped (each answer can
/// be 256 KiB, and a viewer must not make the agent hold them by the thousand).
inline constexpr std::size_t kMaxDiagnosticsAsked = 4;

/// Largest clipboard text accepted from a viewer; anything longer is dropped whole.
inline constexpr std::size_t kMaxClipboardBytes = 1024 * 1024;

/// Runs the session side of the agent; feed it from a ConnectionManager.
class SessionLoop final : public ConnectionListener, public ViewerGate {
public:
    /// `input` may be null (no input backend: every viewer is effectively view-only);
    /// `clipboard` may be null (no clipboard either way). Control viewers' ClipboardText is
    /// written to it; its local changes go to control viewers while any is connected.
    /// `identity` signs every viewer's key exchange and must outlive the loop.
    SessionLoop(EnvelopeSender& sender, const crypto::IdentityKey& identity, CapturerFactory capturers,
                platform::InputInjector* input, platform::Clipboard* clipboard, LogSink log,
                SessionSettings settings = {});
    ~SessionLoop() override;
    SessionLoop(const SessionLoop&) = delete;
    SessionLoop& operator=(const SessionLoop&) = delete;

    /// Starts the screen thread (idle until a viewer is ready).
    void start();
    /// Joins the screen thread. Idempotent.
    void stop();

    void connectionUp(const envelope::Welcome& welcome) override;
    void envelopeReceived(envelope::Message message) override;
    void connectionDown() override;

    void holdNewViewers(bool hold) override;
    void admitViewer(std::uint32_t viewerId) override;
    std::optional<std::string> shortAuthString(std::uint32_t viewerId) const override;

private:
    struct Stream;     // the screen thread's own state (session_stream.cpp)
    struct FramePlan;  // what one viewer gets from one pass (session_plan.cpp)

    void viewerJoined(const envelope::ViewerJoined& joined);
    void viewerLeft(std::uint32_t viewerId);
    void dropAllViewers(const char* why);
    void relayReceived(const envelope::Relay& relay);
    void keyShareReceived(Viewer& viewer, ByteView record);
    void sealedReceived(const std::shared_ptr<Viewer>& viewer, ByteView record);
    void clipboardReceived(Viewer& viewer, const inner::ClipboardText& text);
    void diagnosticsRequested(const std::shared_ptr<Viewer>& viewer, const inner::DiagnosticsRequest& request);
    void closeChannel(const std::shared_ptr<Viewer>& viewer, inner::CloseReason reason);
    bool warnViewOnlyOnce(Viewer& viewer);
    std::shared_ptr<Viewer> find(std::uint32_t viewerId);
    void log(const std::string& line) const;

    // The screen thread (session_stream.cpp).
    void streamLoop();
    void sendLocalClipboard();
    void sendDiagnosticsReports();
    bool openCapturer(Stream& s);
    void closeCapturer(Stream& s);
    void streamOnce(Stream& s);
    // Planning a pass (session_plan.cpp).
    std::vector<FramePlan> takePending(Stream& s, const std::vector<Rect>& changed, bool shape, bool moved);
    void mergePending(Stream& s, std::vector<FramePlan>& plans);
    void commitPlans(const Stream& s, std::vector<FramePlan>& plans);
    void updateVideoMode(Stream& s, const std::vector<std::size_t>& changedTiles,
                         std::chrono::steady_clock::time_point now);
    bool encodeVideo(Stream& s, const FramePlan& p, Bytes& record);
    void encodeAndSend(Stream& s, const std::vector<FramePlan>& plans);
    bool anyReadyLocked() const;
    void pause(std::chrono::milliseconds d);

    EnvelopeSender& sender_;
    const crypto::IdentityKey& identity_;
    CapturerFactory capturers_;
    platform::InputInjector* input_;
    platform::Clipboard* clipboard_;
    LogSink log_;
    SessionSettings settings_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::uint32_t, std::shared_ptr<Viewer>> viewers_;  // guarded by mutex_
    bool stopping_ = false;                                      // guarded by mutex_
    bool holdNew_ = false;                                       // guarded by mutex_
    std::thread thread_;
    std::unique_ptr<DiagnosticsRunner> diagnostics_;  // null without a collector
};

}  // namespace guru
