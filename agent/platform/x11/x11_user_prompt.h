// The attended-support windows on X11: the consent question and the session-active window
// (geometry in x11_prompt_layout.h), on the prompt's own X connection, polled by main.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.h"
#include "platform/x11/x11_dialog_window.h"
#include "platform/x11/x11_display.h"

namespace guru::platform::x11 {

/// UserPrompt with Xlib dialogs; opens its X connection at the first window shown.
class X11UserPrompt final : public UserPrompt {
public:
    /// `display`: the X display name (empty: $DISPLAY).
    explicit X11UserPrompt(std::string display) : displayName_(std::move(display)) {}
    ~X11UserPrompt() override;

    Outcome<PromptError> showConsent(const ConsentRequest& request) override;
    std::optional<Consent> pollConsent() override;
    Outcome<PromptError> updateConsent(const ConsentRequest& request) override;
    Outcome<PromptError> showSessionActive(const std::vector<Technician>& technicians) override;
    bool pollEndRequested() override;
    void close() override;

    /// The window shown now (tests), or 0.
    Window window() const { return dialog_ ? dialog_->window() : 0; }

private:
    enum class Showing : unsigned char { Nothing, Consent, Session };

    bool connect();

    std::string displayName_;
    DisplayPtr display_;
    std::unique_ptr<DialogWindow> dialog_;  // destroyed before display_
    Showing showing_ = Showing::Nothing;
    std::chrono::steady_clock::time_point consentDeadline_{};
    bool endRequested_ = false;
};

}  // namespace guru::platform::x11
