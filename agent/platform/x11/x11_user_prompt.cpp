// Consent question and session-active window (docs/support.md §4) as Xlib dialogs.
#include "platform/x11/x11_user_prompt.h"

#include "platform/prompt_text.h"

namespace guru::platform::x11 {
namespace {

constexpr int kDecline = 0;  // button indices in the consent dialog
constexpr int kAllow = 1;
constexpr std::size_t kNamesShown = 4;  // lines that fit above the End button

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
    spec.title = prompt_text::consentTitle(request.asking);
    spec.width = layout::kConsentWidth;
    spec.height = layout::kConsentHeight;
    spec.heading = "Allow remote support?";
    spec.paragraphs = prompt_text::consentParagraphs(request.company, request.asking);
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

Outcome<PromptError> X11UserPrompt::updateConsent(const ConsentRequest& request) {
    if (showing_ != Showing::Consent || !dialog_) return Failure{PromptError::NoDisplay};
    dialog_->setTitle(prompt_text::consentTitle(request.asking));
    dialog_->setParagraphs(prompt_text::consentParagraphs(request.company, request.asking));
    return Unit{};
}

Outcome<PromptError> X11UserPrompt::showSessionActive(const std::vector<Technician>& technicians) {
    if (showing_ == Showing::Session && dialog_) {
        dialog_->setTitle(prompt_text::sessionTitle(technicians));
        dialog_->setParagraphs(prompt_text::sessionLines(technicians, kNamesShown + 1));
        return Unit{};
    }
    if (!connect()) return Failure{PromptError::NoDisplay};
    close();
    DialogSpec spec;
    spec.title = prompt_text::sessionTitle(technicians);
    spec.width = layout::kSessionWidth;
    spec.height = layout::kSessionHeight;
    spec.heading = "Session active";
    spec.paragraphs = prompt_text::sessionLines(technicians, kNamesShown + 1);
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
