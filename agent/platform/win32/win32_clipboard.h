// Clipboard text for Windows (CF_UNICODETEXT).
#pragma once

#include <windows.h>

#include <mutex>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// The clipboard through a message-only window that owns what the agent writes (with no
/// owner window, Windows may refuse SetClipboardData after EmptyClipboard). Local changes are
/// seen through GetClipboardSequenceNumber, a counter read without opening the clipboard,
/// so polling it from the screen thread costs nothing; the agent's own writes are skipped.
class Win32Clipboard final : public Clipboard {
public:
    Win32Clipboard();
    ~Win32Clipboard() override;
    Win32Clipboard(const Win32Clipboard&) = delete;
    Win32Clipboard& operator=(const Win32Clipboard&) = delete;
    Result<std::string, ClipboardError> readText() override;
    Outcome<ClipboardError> writeText(const std::string& text) override;
    std::optional<std::string> takeLocalChange() override;

private:
    HWND owner_ = nullptr;
    std::mutex mutex_;       // guards the two sequence numbers (network and screen threads)
    DWORD seen_ = 0;         // the sequence number takeLocalChange last looked at
    DWORD ownWrite_ = 0;     // the sequence number our last writeText produced
};

}  // namespace guru::platform::win32
