// The attended-support windows on Windows: the consent question (Allow / Decline) and the
// always-on-top "session active" window with End (and, when offered, Run as administrator). Plain Win32 windows, polled, no thread.
#pragma once

#include <windows.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// One top-level window at a time, created on and pumped by the thread that calls the poll
/// functions (Win32 windows belong to the thread that creates them).
class Win32UserPrompt final : public UserPrompt {
public:
    Win32UserPrompt() = default;
    ~Win32UserPrompt() override { close(); }
    Win32UserPrompt(const Win32UserPrompt&) = delete;
    Win32UserPrompt& operator=(const Win32UserPrompt&) = delete;

    Outcome<PromptError> showConsent(const ConsentRequest& request) override;
    std::optional<Consent> pollConsent() override;
    Outcome<PromptError> updateConsent(const ConsentRequest& request) override;
    Outcome<PromptError> showSessionActive(const std::vector<Technician>& technicians) override;
    bool pollEndRequested() override;
    void setElevationOffer(bool offered, const std::string& notice) override;
    bool pollElevationRequested() override;
    void close() override;

    /// The shown window (tests press its buttons through it); null if none.
    HWND window() const { return window_; }

    /// Control ids of the buttons.
    static constexpr int kAllow = 101, kDecline = 102, kEnd = 103, kElevate = 104;

    /// Window titles, the same as the X11 windows' (tests find them with xdotool); the codes
    /// follow once known (platform/prompt_text.h).
    static constexpr const wchar_t* kConsentTitle = L"GuruConnect: allow remote support?";
    static constexpr const wchar_t* kSessionTitle = L"GuruConnect: session active";

private:
    enum class Mode : std::uint8_t { None, Consent, Session };
    struct Button {
        int id;
        const wchar_t* label;
        int width;
    };
    static LRESULT CALLBACK windowProc(HWND window, UINT message, WPARAM w, LPARAM l);
    LRESULT handle(HWND window, UINT message, WPARAM w, LPARAM l);
    Outcome<PromptError> open(const wchar_t* title, const std::wstring& text, const std::vector<Button>& buttons,
                              bool bottomRight);
    void pump();

    HWND window_ = nullptr;
    HWND label_ = nullptr;
    Mode mode_ = Mode::None;
    std::optional<Consent> answer_;
    bool endRequested_ = false;
    bool elevationRequested_ = false;
    bool offerElevation_ = false;  // wanted in the session window
    HWND elevateButton_ = nullptr;  // the shown session window's Run as administrator, if any
    std::string notice_;
    std::chrono::steady_clock::time_point deadline_{};
};

}  // namespace guru::platform::win32
