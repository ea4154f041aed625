// The platform interfaces the core drives (cf. Sunshine's src/platform/common.h).
// Implementations live in platform/<os>/; the core includes only this header.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/image.h"
#include "core/inner_message.h"
#include "core/result.h"
#include "core/video_encoder.h"

namespace guru::platform {

/// Outcome of one capture call. Reinit (resolution or monitor change, lost display) is a
/// value the core handles by reopening the capturer, not a crash.
enum class CaptureStatus : std::uint8_t { Ok, Reinit, Timeout, Error };

/// Receives captured pixels: `pixels` covers exactly `at` (desktop coordinates) and is
/// valid only during the call. A capture may call it several times (one per region or band).
using RegionSink = std::function<void(const Rect& at, const ImageView& pixels)>;

/// Reads the screen, only where it changed when the OS says so.
class ScreenCapturer {
public:
    virtual ~ScreenCapturer() = default;
    /// Which capture path this is ("xshm", "dxgi", "gdi"...), for logs and the viewer.
    virtual std::string_view name() const = 0;
    /// The whole desktop's size in pixels.
    virtual Rect bounds() const = 0;
    /// The monitors, in desktop coordinates.
    virtual std::vector<inner::Monitor> monitors() = 0;
    /// Waits up to `timeout` for changes, then hands the changed regions to `sink`. The
    /// first call after opening (or invalidate()) hands over the whole desktop.
    virtual CaptureStatus capture(std::chrono::milliseconds timeout, const RegionSink& sink) = 0;
    /// Makes the next capture read the whole desktop at once (new viewer, refresh).
    virtual void invalidate() = 0;
    /// The cursor image if it changed since the last call.
    virtual std::optional<inner::CursorImage> cursorShapeIfChanged() = 0;
    /// The cursor's position now.
    virtual std::optional<inner::CursorPosition> cursorPosition() = 0;
};

/// Why injecting input failed.
enum class InputError : std::uint8_t { Unsupported, UnknownKey, NoFreeKeycode, SystemError };

/// How this machine takes Ctrl+Alt+Del from a viewer: as ordinary keys, as the secure
/// attention sequence (Windows SendSAS), or not at all. The values are SessionInfo's wire
/// values (docs/protocol.md §4), so this is the protocol's enum, shared rather than mirrored.
using SecureAttention = inner::SecureAttention;

/// Synthesises pointer and keyboard input on the local desktop.
class InputInjector {
public:
    virtual ~InputInjector() = default;
    /// What the Ctrl+Alt+Del chord does here (told to each viewer in SessionInfo). Must not
    /// block and is called from the screen thread: backends work it out once, up front.
    virtual SecureAttention secureAttention() const { return SecureAttention::Keys; }
    /// Whether the agent runs elevated, so that its input also reaches the windows of
    /// elevated programs (told to each viewer in SessionInfo). Windows: the process token's
    /// TokenElevation; Linux: euid 0. Worked out once, up front, like secureAttention().
    virtual bool elevated() const { return false; }
    virtual Outcome<InputError> movePointer(int x, int y) = 0;
    virtual Outcome<InputError> button(inner::Button button, bool pressed) = 0;
    /// Scroll in 1/120 notch units; remainders carry over to the next call.
    virtual Outcome<InputError> wheel(int dx, int dy) = 0;
    /// Types what the viewer's KeyboardEvent describes, on whatever layout is active here.
    virtual Outcome<InputError> key(const inner::Key& key) = 0;
    /// Releases every key and button still held (on viewer disconnect).
    virtual void releaseAll() = 0;
};

/// Why a clipboard operation failed.
enum class ClipboardError : std::uint8_t { Unsupported, Empty, SystemError };

/// The local clipboard, text only for now.
class Clipboard {
public:
    virtual ~Clipboard() = default;
    virtual Result<std::string, ClipboardError> readText() = 0;
    virtual Outcome<ClipboardError> writeText(const std::string& text) = 0;
    /// Text another local program put on the clipboard since the last call, if any (never
    /// our own writes). Must not block: the screen thread polls it. Backends that cannot
    /// watch the clipboard keep this default.
    virtual std::optional<std::string> takeLocalChange() { return std::nullopt; }
};

/// The end user's answer to a remote-control request.
enum class Consent : std::uint8_t { Allowed, Denied, TimedOut };
/// Why a prompt could not be shown.
enum class PromptError : std::uint8_t { Unsupported, NoDisplay };
/// Short stable name for a prompt error.
const char* name(PromptError e);

/// A technician as the end user's windows name them.
struct Technician {
    std::string name;  // from ViewerInfo ("" if the server has not said yet)
    std::string code;  // the channel's 6-digit code ("123 456"), "" until the keys are agreed
    bool operator==(const Technician&) const = default;
};

/// What the consent question shows and how long it waits.
struct ConsentRequest {
    std::string company;  // who asks: "<name> of <company> support wants to view and control…"
    std::chrono::seconds timeout{300};
    std::vector<Technician> asking;  // the technicians waiting for this answer (may be none yet)
};

/// The windows the person at the machine sees during attended support (docs/support.md
/// §4): the consent question, then a small always-on-top "session active" window naming
/// the technicians, with an End button. Nothing here blocks: the owner (main's thread)
/// calls the poll functions every few tens of milliseconds; one window is shown at a time.
class UserPrompt {
public:
    virtual ~UserPrompt() = default;
    /// Shows the consent question, replacing any window shown before.
    virtual Outcome<PromptError> showConsent(const ConsentRequest& request) = 0;
    /// Handles pending window events; the answer once there is one (the question then
    /// closes). Declining includes closing the window; no answer in time is TimedOut.
    virtual std::optional<Consent> pollConsent() = 0;
    /// Updates the question shown (who asks, their codes) without restarting its timeout.
    virtual Outcome<PromptError> updateConsent(const ConsentRequest& request) = 0;
    /// Shows the session-active window, or updates its list of technicians and codes.
    virtual Outcome<PromptError> showSessionActive(const std::vector<Technician>& technicians) = 0;
    /// Handles pending window events; true once End has been pressed.
    virtual bool pollEndRequested() = 0;
    /// The session window's "Run as administrator" button and a one-line notice under the
    /// technicians ("" for none), from the next showSessionActive on. Only the Windows window
    /// has the button (the agent offers it only there, platform/elevation.h); the others
    /// ignore both.
    virtual void setElevationOffer(bool offered, const std::string& notice) {
        (void)offered;
        (void)notice;
    }
    /// True once after each press of "Run as administrator" (call after pollEndRequested).
    virtual bool pollElevationRequested() { return false; }
    /// Closes whatever window is shown.
    virtual void close() = 0;
};

/// Facts about the machine reported to the server.
struct SystemDescription {
    std::string hostname;
    std::string osName;     // e.g. "Linux"
    std::string osVersion;  // kernel release
    std::string userName;
    std::string architecture;
};

/// Describes the machine.
class SystemInfo {
public:
    virtual ~SystemInfo() = default;
    virtual SystemDescription describe() = 0;
};

/// Why the backend could not open.
enum class BackendError : std::uint8_t { NoDisplay, MissingExtension, SystemError };

/// Short stable name for a backend error.
const char* name(BackendError e);

/// One OS backend's always-open implementations. The screen capturer is not among them:
/// it holds frame-sized buffers, so it is opened per session with openCapturer().
struct Backend {
    std::unique_ptr<InputInjector> input;
    std::unique_ptr<Clipboard> clipboard;
    std::unique_ptr<UserPrompt> prompt;
    std::unique_ptr<SystemInfo> system;
};

/// Where the backend connects; empty means the OS default (e.g. $DISPLAY).
struct BackendOptions {
    std::string display;
};

/// Opens the backend compiled into this binary (CMake selects exactly one).
Result<Backend, BackendError> openBackend(const BackendOptions& options);

/// Opens a screen capturer (when a viewer joins, and again after Reinit).
Result<std::unique_ptr<ScreenCapturer>, BackendError> openCapturer(const BackendOptions& options);

/// This machine's video encoders for the video mode, or an empty factory: sessions then send
/// tiles only. Linux: VP8 through libvpx and libyuv when both are installed (loaded at run
/// time; GURU_AGENT_VIDEO=off turns it off). Windows: none yet.
VideoEncoderFactory videoEncoders();

}  // namespace guru::platform
