// Consent question and session-active window (docs/support.md §4) as Xlib dialogs.
#include "platform/x11/x11_user_prompt.h"

namespace guru::platform::x11 {
namespace {

constexpr int kDecline = 0;  // button indices in the consent dialog
constexpr int kAllow = 1;
constexpr std::size_t kNamesShown = 4;  // lines that fit above the End button

std::vector<std::string> sessionText(const std::vector<std::string>& technicians) {
    std::vector<std::string> lines;
    if (technicians.empty()) {
        lines.push_back("Waiting for the technician to connect.");
        return lines;
    }
    lines.push_back(technicians.size() == 1 ? "Connected technician:" : "Connected technicians:");
    for (std::size_t i = 0; i < technicians.size() && i < kNamesShown; ++i) {
        const std::string& n = technicians[i];
        lines.push_back(n.empty() ? "(unnamed technician)" : n);
    }
    if (technicians.size() > kNamesShown) {
        lines.back() = "and " + std::to_string(technicians.size() - kNamesShown + 1) + " more";
    }
    return lines;
}

}  // namespace

X11UserPrompt::~X11UserPrompt() { close(); }

bool X11UserPrompt::connect() {
    if (!display_) display_ = openDisplay(displayName_);
    return display_ != nullptr;
}

void X11UserPrompt::close() {
    dialog_.reset();
    showing_ = Showing::Nothing;
}

Outcome<PromptError> X11UserPrompt::showConsent(const ConsentRequest& request) {
    if (!connect()) return Failure{PromptError::NoDisplay};
    close();
    DialogSpec spec;
    spec.title = layout::kConsentTitle;
    spec.width = layout::kConsentWidth;
    spec.height = layout::kConsentHeight;
    spec.heading = "Allow remote support?";
    const std::string who = request.company.empty() ? "Remote" : request.company;
    spec.paragraphs = {who + " support wants to view and control this computer.",
                       "Allow only if you asked for help. You can end the session at any time."};
    spec.buttons = {{"Decline", layout::kDeclineButton, ButtonStyle::Plain},
                    {"Allow", layout::kAllowButton, ButtonStyle::Accent}};
    spec.keepAbove = true;
    dialog_ = DialogWindow::open(display_.get(), std::move(spec));
    if (!dialog_) return Failure{PromptError::NoDisplay};
    showing_ = Showing::Consent;
    consentDeadline_ = std::chrono::steady_clock::now() + request.timeout;
    return Unit{};
}

std::optional<Consent> X11UserPrompt::pollConsent() {
    if (showing_ != Showing::Consent || !dialog_) return std::nullopt;
    std::optional<Consent> answer;
    for (const DialogEvent& e : dialog_->pump()) {
        if (answer) break;
        if (e.kind == DialogEvent::Kind::Button) {
            answer = e.button == kAllow ? Consent::Allowed : Consent::Denied;
        } else {
            answer = Consent::Denied;  // Escape or the window's close button
        }
    }
    if (!answer && std::chrono::steady_clock::now() >= consentDeadline_) answer = Consent::TimedOut;
    if (answer) close();
    return answer;
}

Outcome<PromptError> X11UserPrompt::showSessionActive(const std::vector<std::string>& technicians) {
    if (showing_ == Showing::Session && dialog_) {
        dialog_->setParagraphs(sessionText(technicians));
        return Unit{};
    }
    if (!connect()) return Failure{PromptError::NoDisplay};
    close();
    DialogSpec spec;
    spec.title = layout::kSessionTitle;
    spec.width = layout::kSessionWidth;
    spec.height = layout::kSessionHeight;
    spec.heading = "Session active";
    spec.paragraphs = sessionText(technicians);
    spec.buttons = {{"End", layout::kEndButton, ButtonStyle::Danger}};
    spec.keepAbove = true;
    spec.topRight = true;
    dialog_ = DialogWindow::open(display_.get(), std::move(spec));
    if (!dialog_) return Failure{PromptError::NoDisplay};
    showing_ = Showing::Session;
    endRequested_ = false;
    return Unit{};
}

bool X11UserPrompt::pollEndRequested() {
    if (showing_ != Showing::Session || !dialog_) return endRequested_;
    for (const DialogEvent& e : dialog_->pump()) {
        // Only the End button ends: Escape or closing the window could be accidental.
        if (e.kind == DialogEvent::Kind::Button) endRequested_ = true;
    }
    return endRequested_;
}

}  // namespace guru::platform::x11
