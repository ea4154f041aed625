// A small window class of our own: a STATIC text and push buttons, topmost, DEFAULT_GUI_FONT.
#include "platform/win32/win32_user_prompt.h"

#include "platform/prompt_text.h"
#include "platform/win32/win32_text.h"
#include "platform/win32/win32_user_prompt_layout.h"

namespace guru::platform::win32 {

namespace {

constexpr wchar_t kClassName[] = L"GuruConnectPrompt";
using namespace prompt_layout;

bool registerClass() {
    WNDCLASSEXW wc{};
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = DefWindowProcW;  // replaced per window once `this` is known
    wc.hInstance = GetModuleHandleW(nullptr);
    wc.hCursor = LoadCursorW(nullptr, MAKEINTRESOURCEW(32512));  // IDC_ARROW
    wc.hbrBackground = reinterpret_cast<HBRUSH>(COLOR_BTNFACE + 1);
    wc.lpszClassName = kClassName;
    return RegisterClassExW(&wc) != 0 || GetLastError() == ERROR_CLASS_ALREADY_EXISTS;
}

std::wstring joinLines(const std::vector<std::string>& lines) {
    std::wstring out;
    for (const std::string& line : lines) {
        if (!out.empty()) out += L"\n";
        out += widen(line);
    }
    return out;
}

}  // namespace

LRESULT CALLBACK Win32UserPrompt::windowProc(HWND window, UINT message, WPARAM w, LPARAM l) {
    auto* self = reinterpret_cast<Win32UserPrompt*>(GetWindowLongPtrW(window, GWLP_USERDATA));
    return self ? self->handle(window, message, w, l) : DefWindowProcW(window, message, w, l);
}

LRESULT Win32UserPrompt::handle(HWND window, UINT message, WPARAM w, LPARAM l) {
    if (message == WM_COMMAND && HIWORD(w) == BN_CLICKED) {
        switch (LOWORD(w)) {
            case kAllow: answer_ = Consent::Allowed; return 0;
            case kDecline: answer_ = Consent::Denied; return 0;
            case kEnd: endRequested_ = true; return 0;
            case kElevate: elevationRequested_ = true; return 0;
            default: break;
        }
    }
    if (message == WM_CLOSE) {
        // Closing the question declines; closing the session window ends the session:
        // either way the person wants no remote control.
        if (mode_ == Mode::Consent) answer_ = Consent::Denied;
        if (mode_ == Mode::Session) endRequested_ = true;
        return 0;  // the owner closes the window through close()
    }
    return DefWindowProcW(window, message, w, l);
}

Outcome<PromptError> Win32UserPrompt::open(const wchar_t* title, const std::wstring& text,
                                           const std::vector<Button>& buttons, bool bottomRight) {
    close();
    if (!registerClass()) return Failure{PromptError::NoDisplay};
    RECT client{0, 0, kWidth, kHeight};
    const DWORD style = WS_POPUP | WS_CAPTION | WS_SYSMENU;
    const DWORD exStyle = WS_EX_TOPMOST | WS_EX_DLGMODALFRAME;
    AdjustWindowRectEx(&client, style, FALSE, exStyle);
    const int width = client.right - client.left, height = client.bottom - client.top;
    RECT work{};
    SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
    const int x = bottomRight ? work.right - width - kMargin : (work.left + work.right - width) / 2;
    const int y = bottomRight ? work.bottom - height - kMargin : (work.top + work.bottom - height) / 2;
    HINSTANCE instance = GetModuleHandleW(nullptr);
    window_ = CreateWindowExW(exStyle, kClassName, title, style, x, y, width, height,
                              nullptr, nullptr, instance, nullptr);
    if (!window_) return Failure{PromptError::NoDisplay};
    SetWindowLongPtrW(window_, GWLP_USERDATA, reinterpret_cast<LONG_PTR>(this));
    SetWindowLongPtrW(window_, GWLP_WNDPROC, reinterpret_cast<LONG_PTR>(&windowProc));
    auto font = reinterpret_cast<WPARAM>(GetStockObject(DEFAULT_GUI_FONT));
    label_ = CreateWindowExW(0, L"STATIC", text.c_str(), WS_CHILD | WS_VISIBLE, kMargin, kMargin,
                             kWidth - 2 * kMargin, kTextHeight, window_, nullptr, instance, nullptr);
    SendMessageW(label_, WM_SETFONT, font, TRUE);
    int widths = 0;
    for (const Button& b : buttons) widths += b.width;
    int left = rowLeft(widths, static_cast<int>(buttons.size()));
    for (const Button& b : buttons) {
        HWND button = CreateWindowExW(
            0, L"BUTTON", b.label, WS_CHILD | WS_VISIBLE | WS_TABSTOP | BS_PUSHBUTTON, left,
            kButtonTop, b.width, kButtonHeight, window_,
            reinterpret_cast<HMENU>(static_cast<INT_PTR>(b.id)), instance, nullptr);
        SendMessageW(button, WM_SETFONT, font, TRUE);
        left += b.width + kMargin;
    }
    ShowWindow(window_, SW_SHOWNORMAL);
    SetForegroundWindow(window_);
    UpdateWindow(window_);
    return Unit{};
}

Outcome<PromptError> Win32UserPrompt::showConsent(const ConsentRequest& request) {
    const std::wstring title = widen(prompt_text::consentTitle(request.asking));
    auto shown = open(title.c_str(), joinLines(prompt_text::consentParagraphs(request.company, request.asking)),
                      {{kAllow, L"Allow", kButtonWidth}, {kDecline, L"Decline", kButtonWidth}}, false);
    if (!shown) return shown;
    mode_ = Mode::Consent;
    answer_.reset();
    deadline_ = std::chrono::steady_clock::now() + request.timeout;
    return Unit{};
}

Outcome<PromptError> Win32UserPrompt::updateConsent(const ConsentRequest& request) {
    if (mode_ != Mode::Consent || !window_) return Failure{PromptError::NoDisplay};
    SetWindowTextW(window_, widen(prompt_text::consentTitle(request.asking)).c_str());
    SetWindowTextW(label_, joinLines(prompt_text::consentParagraphs(request.company, request.asking)).c_str());
    return Unit{};
}

std::optional<Consent> Win32UserPrompt::pollConsent() {
    if (mode_ != Mode::Consent) return std::nullopt;
    pump();
    if (!answer_ && std::chrono::steady_clock::now() >= deadline_) answer_ = Consent::TimedOut;
    if (!answer_) return std::nullopt;
    const Consent answer = *answer_;
    close();
    return answer;
}

Outcome<PromptError> Win32UserPrompt::showSessionActive(const std::vector<Technician>& technicians) {
    const std::wstring title = widen(prompt_text::sessionTitle(technicians));
    std::wstring text = L"Remote support session active.\n" + joinLines(prompt_text::sessionLines(technicians, 4));
    if (!notice_.empty()) text += L"\n" + widen(notice_);
    // The button, once shown, stays: while a relaunch runs it is greyed, not removed (a new
    // window would flicker and take the focus).
    if (mode_ == Mode::Session && label_ && (elevateButton_ || !offerElevation_)) {
        SetWindowTextW(window_, title.c_str());
        SetWindowTextW(label_, text.c_str());
        if (elevateButton_) EnableWindow(elevateButton_, offerElevation_ ? TRUE : FALSE);
        return Unit{};
    }
    std::vector<Button> buttons;
    if (offerElevation_) buttons.push_back({kElevate, L"Run as administrator", kWideButtonWidth});
    buttons.push_back({kEnd, L"End session", kButtonWidth});
    const bool wasSession = mode_ == Mode::Session;
    auto shown = open(title.c_str(), text, buttons, true);
    if (!shown) return shown;
    mode_ = Mode::Session;
    elevateButton_ = offerElevation_ ? GetDlgItem(window_, kElevate) : nullptr;
    if (!wasSession) endRequested_ = false;
    return Unit{};
}

void Win32UserPrompt::setElevationOffer(bool offered, const std::string& notice) {
    offerElevation_ = offered;
    notice_ = notice;
}

bool Win32UserPrompt::pollElevationRequested() {
    if (mode_ != Mode::Session) return false;
    pump();
    const bool requested = elevationRequested_ && elevateButton_ && IsWindowEnabled(elevateButton_);
    elevationRequested_ = false;
    return requested;
}

bool Win32UserPrompt::pollEndRequested() {
    if (mode_ != Mode::Session) return false;
    pump();
    return endRequested_;
}

void Win32UserPrompt::close() {
    if (window_) DestroyWindow(window_);
    window_ = nullptr;
    label_ = nullptr;
    elevateButton_ = nullptr;
    mode_ = Mode::None;
}

void Win32UserPrompt::pump() {
    MSG message;
    for (int i = 0; i < 256 && PeekMessageW(&message, nullptr, 0, 0, PM_REMOVE); ++i) {
        if (window_ && IsDialogMessageW(window_, &message)) continue;
        TranslateMessage(&message);
        DispatchMessageW(&message);
    }
}

}  // namespace guru::platform::win32
