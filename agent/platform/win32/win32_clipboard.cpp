// OpenClipboard (retried briefly: another program may hold it), CF_UNICODETEXT in and out;
// local changes by the clipboard sequence number.
#include "platform/win32/win32_clipboard.h"

#include <cstring>
#include <thread>

#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

namespace {

/// Holds the clipboard open for one scope.
class OpenedClipboard {
public:
    explicit OpenedClipboard(HWND owner) {
        for (int attempt = 0; attempt < 10 && !open_; ++attempt) {
            open_ = OpenClipboard(owner) != 0;
            if (!open_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ~OpenedClipboard() {
        if (open_) CloseClipboard();
    }
    OpenedClipboard(const OpenedClipboard&) = delete;
    OpenedClipboard& operator=(const OpenedClipboard&) = delete;
    explicit operator bool() const { return open_; }

private:
    bool open_ = false;
};

}  // namespace

Win32Clipboard::Win32Clipboard()
    : owner_(CreateWindowExW(0, L"STATIC", L"GuruConnect clipboard", 0, 0, 0, 0, 0, HWND_MESSAGE,
                             nullptr, GetModuleHandleW(nullptr), nullptr)),
      seen_(GetClipboardSequenceNumber()) {}  // what was copied before the agent started is not a change

Win32Clipboard::~Win32Clipboard() {
    if (owner_) DestroyWindow(owner_);
}

Result<std::string, ClipboardError> Win32Clipboard::readText() {
    OpenedClipboard clipboard(owner_);
    if (!clipboard) return Failure{ClipboardError::SystemError};
    if (!IsClipboardFormatAvailable(CF_UNICODETEXT)) return Failure{ClipboardError::Empty};
    HANDLE data = GetClipboardData(CF_UNICODETEXT);
    if (!data) return Failure{ClipboardError::Empty};
    const auto* text = static_cast<const wchar_t*>(GlobalLock(data));
    if (!text) return Failure{ClipboardError::SystemError};
    // The size bounds the read: clipboard data need not be NUL-terminated within it.
    const std::size_t units = GlobalSize(data) / sizeof(wchar_t);
    std::string out = fromWindowsLineBreaks(narrow(std::wstring_view(text, wcsnlen(text, units))));
    GlobalUnlock(data);
    return out;
}

Outcome<ClipboardError> Win32Clipboard::writeText(const std::string& text) {
    const std::wstring wide = toWindowsLineBreaks(widen(text));
    const std::size_t bytes = (wide.size() + 1) * sizeof(wchar_t);
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, bytes);
    if (!memory) return Failure{ClipboardError::SystemError};
    void* locked = GlobalLock(memory);
    if (!locked) {
        GlobalFree(memory);
        return Failure{ClipboardError::SystemError};
    }
    std::memcpy(locked, wide.c_str(), bytes);
    GlobalUnlock(memory);
    {
        OpenedClipboard clipboard(owner_);
        if (!clipboard || !EmptyClipboard() || !SetClipboardData(CF_UNICODETEXT, memory)) {
            GlobalFree(memory);  // ownership passes to the system only on success
            return Failure{ClipboardError::SystemError};
        }
    }  // closed: the sequence number now counts this write
    std::lock_guard lock(mutex_);
    ownWrite_ = GetClipboardSequenceNumber();
    return Unit{};
}

std::optional<std::string> Win32Clipboard::takeLocalChange() {
    const DWORD now = GetClipboardSequenceNumber();
    {
        std::lock_guard lock(mutex_);
        if (now == seen_) return std::nullopt;
        seen_ = now;
        if (now == ownWrite_) return std::nullopt;  // the viewer's own text coming back
    }
    auto text = readText();
    if (!text || text->empty()) return std::nullopt;
    return std::move(*text);
}

}  // namespace guru::platform::win32
