// Clipboard text for Windows (CF_UNICODETEXT).
#pragma once

#include <windows.h>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// The clipboard through a message-only window that owns what the agent writes (with no
/// owner window, Windows may refuse SetClipboardData after EmptyClipboard).
class Win32Clipboard final : public Clipboard {
public:
    Win32Clipboard();
    ~Win32Clipboard() override;
    Win32Clipboard(const Win32Clipboard&) = delete;
    Win32Clipboard& operator=(const Win32Clipboard&) = delete;
    Result<std::string, ClipboardError> readText() override;
    Outcome<ClipboardError> writeText(const std::string& text) override;

private:
    HWND owner_ = nullptr;
};

}  // namespace guru::platform::win32
