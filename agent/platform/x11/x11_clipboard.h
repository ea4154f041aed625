// Clipboard for X11: the CLIPBOARD selection, text only. Owning a selection means
// answering other clients' requests for as long as we own it, so writes hand the text to
// an owned helper thread with its own X connection; reads use a second connection and
// wait a bounded time for the owner's answer. XFixes tells the helper thread when another
// program takes CLIPBOARD; it reads the new text there, so the session never waits on it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "platform/platform.h"
#include "platform/x11/x11_display.h"

namespace guru::platform::x11 {

/// Largest clipboard text read or written (larger text is refused, never truncated).
inline constexpr std::size_t kMaxClipboardText = 1024 * 1024;

/// The CLIPBOARD selection as UTF8_STRING (STRING as a fallback when reading).
class X11Clipboard final : public Clipboard {
public:
    static Result<std::unique_ptr<X11Clipboard>, BackendError> open(const std::string& display);
    ~X11Clipboard() override;
    X11Clipboard(const X11Clipboard&) = delete;
    X11Clipboard& operator=(const X11Clipboard&) = delete;

    Result<std::string, ClipboardError> readText() override;
    Outcome<ClipboardError> writeText(const std::string& text) override;
    std::optional<std::string> takeLocalChange() override;

private:
    X11Clipboard(DisplayPtr reader, DisplayPtr owner, int wakeRead, int wakeWrite);
    void ownerLoop();
    void serve(const XSelectionRequestEvent& request);
    bool takeOwnership();
    Result<std::string, ClipboardError> convert(Atom target);

    DisplayPtr reader_;  // used by readText callers, under readMutex_
    std::mutex readMutex_;
    Window readerWindow_ = 0;

    DisplayPtr owner_;   // used by the helper thread only
    Window ownerWindow_ = 0;
    Atom clipboard_ = 0, utf8_ = 0, targets_ = 0, property_ = 0;
    int fixesEvent_ = -1;        // XFixes event base, -1 without XFixes (no change watch)
    int wakeRead_, wakeWrite_;  // self-pipe: wakes the helper thread

    std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;           // what we serve while we own CLIPBOARD; guarded by mutex_
    bool owned_ = false;         // guarded by mutex_
    std::string pending_;        // a write the helper thread has not taken yet
    bool writeRequested_ = false;
    bool writeDone_ = false, writeOk_ = false;
    bool stopping_ = false;
    std::optional<std::string> localChange_;  // another program's text, not yet taken
    std::thread thread_;
};

}  // namespace guru::platform::x11
