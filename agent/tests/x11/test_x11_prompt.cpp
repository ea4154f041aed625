// The attended-support windows on a real Xvfb: found by their exact titles, clicked with
// XTest at the exported button geometry, answered with the keyboard, timed out.
#include <doctest/doctest.h>  // before X11 headers, whose macros clash with it

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "platform/platform.h"
#include "platform/x11/x11_prompt_layout.h"
#include "tests/x11/x11_test_window.h"

using namespace guru;
using namespace guru::platform;
namespace layout = guru::platform::x11::layout;

namespace {

using Clock = std::chrono::steady_clock;

struct CloseDisplay {
    void operator()(Display* d) const { XCloseDisplay(d); }
};

// The test's own X connection, as xdotool would have.
std::unique_ptr<Display, CloseDisplay> connect() {
    std::unique_ptr<Display, CloseDisplay> d(XOpenDisplay(guru::test::xvfbDisplay().c_str()));
    REQUIRE(d != nullptr);
    return d;
}

std::unique_ptr<UserPrompt> openPrompt() {
    auto b = openBackend({guru::test::xvfbDisplay()});
    REQUIRE(b.ok());
    REQUIRE(b->prompt != nullptr);
    return std::move(b->prompt);
}

// The mapped top-level window whose WM_NAME is exactly `title`, or 0.
Window findByTitle(Display* d, const std::string& title) {
    Window root = 0, parent = 0;
    Window* children = nullptr;
    unsigned count = 0;
    Window found = 0;
    if (!XQueryTree(d, DefaultRootWindow(d), &root, &parent, &children, &count)) return 0;
    for (unsigned i = 0; i < count && !found; ++i) {
        char* name = nullptr;
        XWindowAttributes attrs{};
        if (XFetchName(d, children[i], &name) && name) {
            if (title == name && XGetWindowAttributes(d, children[i], &attrs) &&
                attrs.map_state == IsViewable) {
                found = children[i];
            }
            XFree(name);
        }
    }
    if (children) XFree(children);
    return found;
}

// Pumps `poll` (as main's loop does) until `done` or the timeout.
bool pollUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

Window waitForWindow(Display* d, UserPrompt& prompt, const std::string& title) {
    Window w = 0;
    pollUntil([&] {
        (void)prompt.pollEndRequested();  // lets the prompt handle Expose meanwhile
        w = findByTitle(d, title);
        return w != 0;
    }, std::chrono::seconds(5));
    REQUIRE_MESSAGE(w != 0, "no window titled " << title);
    return w;
}

// What `xdotool mousemove --window W X Y click 1` does.
void click(Display* d, Window w, int x, int y) {
    int rx = 0, ry = 0;
    Window child = 0;
    XTranslateCoordinates(d, w, DefaultRootWindow(d), x, y, &rx, &ry, &child);
    XTestFakeMotionEvent(d, -1, rx, ry, CurrentTime);
    XTestFakeButtonEvent(d, 1, True, CurrentTime);
    XTestFakeButtonEvent(d, 1, False, CurrentTime);
    XFlush(d);
}

void pressKey(Display* d, Window w, KeySym sym) {
    XSetInputFocus(d, w, RevertToParent, CurrentTime);
    const KeyCode code = XKeysymToKeycode(d, sym);
    XTestFakeKeyEvent(d, code, True, CurrentTime);
    XTestFakeKeyEvent(d, code, False, CurrentTime);
    XFlush(d);
}

std::string utf8Property(Display* d, Window w, const char* property) {
    Atom type = 0;
    int format = 0;
    unsigned long items = 0, after = 0;
    unsigned char* data = nullptr;
    std::string out;
    if (XGetWindowProperty(d, w, XInternAtom(d, property, False), 0, 1024, False, AnyPropertyType,
                           &type, &format, &items, &after, &data) == Success && data) {
        out.assign(reinterpret_cast<char*>(data), items);
        XFree(data);
    }
    return out;
}

bool keptAbove(Display* d, Window w) {
    Atom type = 0;
    int format = 0;
    unsigned long items = 0, after = 0;
    unsigned char* data = nullptr;
    bool above = false;
    if (XGetWindowProperty(d, w, XInternAtom(d, "_NET_WM_STATE", False), 0, 16, False, XA_ATOM, &type,
                           &format, &items, &after, &data) == Success && data) {
        const Atom want = XInternAtom(d, "_NET_WM_STATE_ABOVE", False);
        for (unsigned long i = 0; i < items; ++i) above |= reinterpret_cast<Atom*>(data)[i] == want;
        XFree(data);
    }
    return above;
}

std::optional<Consent> awaitAnswer(UserPrompt& prompt, std::chrono::milliseconds timeout) {
    std::optional<Consent> answer;
    pollUntil([&] { return (answer = prompt.pollConsent()).has_value(); }, timeout);
    return answer;
}

}  // namespace

TEST_CASE("consent window: exact title, fixed size, above; Allow clicked → Allowed") {
    auto d = connect();
    auto prompt = openPrompt();
    REQUIRE(prompt->showConsent({"Acme IT", std::chrono::seconds(30), {}}).ok());
    const Window w = waitForWindow(d.get(), *prompt, layout::kConsentTitle);
    CHECK(utf8Property(d.get(), w, "_NET_WM_NAME") == layout::kConsentTitle);
    CHECK(keptAbove(d.get(), w));
    XWindowAttributes attrs{};
    REQUIRE(XGetWindowAttributes(d.get(), w, &attrs));
    CHECK(attrs.width == layout::kConsentWidth);
    CHECK(attrs.height == layout::kConsentHeight);
    XSizeHints hints{};
    long supplied = 0;
    REQUIRE(XGetWMNormalHints(d.get(), w, &hints, &supplied));
    CHECK(hints.min_width == hints.max_width);
    CHECK(hints.min_height == hints.max_height);

    CHECK_FALSE(prompt->pollConsent().has_value());
    click(d.get(), w, layout::kAllowButton.centerX(), layout::kAllowButton.centerY());
    auto answer = awaitAnswer(*prompt, std::chrono::seconds(5));
    REQUIRE(answer.has_value());
    CHECK(*answer == Consent::Allowed);
    CHECK(findByTitle(d.get(), layout::kConsentTitle) == 0);  // closed after the answer
}

TEST_CASE("consent window: Decline clicked → Denied; a click outside the buttons does nothing") {
    auto d = connect();
    auto prompt = openPrompt();
    REQUIRE(prompt->showConsent({"Acme IT", std::chrono::seconds(30), {}}).ok());
    const Window w = waitForWindow(d.get(), *prompt, layout::kConsentTitle);
    click(d.get(), w, 10, 10);
    CHECK_FALSE(awaitAnswer(*prompt, std::chrono::milliseconds(300)).has_value());
    click(d.get(), w, layout::kDeclineButton.centerX(), layout::kDeclineButton.centerY());
    auto answer = awaitAnswer(*prompt, std::chrono::seconds(5));
    REQUIRE(answer.has_value());
    CHECK(*answer == Consent::Denied);
}

TEST_CASE("consent window: Enter does not allow, Escape declines") {
    auto d = connect();
    auto prompt = openPrompt();
    REQUIRE(prompt->showConsent({"Acme IT", std::chrono::seconds(30), {}}).ok());
    const Window w = waitForWindow(d.get(), *prompt, layout::kConsentTitle);
    pressKey(d.get(), w, XK_Return);
    pressKey(d.get(), w, XK_KP_Enter);
    pressKey(d.get(), w, XK_space);
    CHECK_FALSE(awaitAnswer(*prompt, std::chrono::milliseconds(400)).has_value());
    pressKey(d.get(), w, XK_Escape);
    auto answer = awaitAnswer(*prompt, std::chrono::seconds(5));
    REQUIRE(answer.has_value());
    CHECK(*answer == Consent::Denied);
}

TEST_CASE("consent window: no answer in time → TimedOut") {
    auto d = connect();
    auto prompt = openPrompt();
    REQUIRE(prompt->showConsent({"", std::chrono::seconds(1), {}}).ok());
    waitForWindow(d.get(), *prompt, layout::kConsentTitle);
    auto answer = awaitAnswer(*prompt, std::chrono::seconds(5));
    REQUIRE(answer.has_value());
    CHECK(*answer == Consent::TimedOut);
    CHECK(findByTitle(d.get(), layout::kConsentTitle) == 0);
}

TEST_CASE("consent window: the technician's name and code arrive in the same window") {
    auto d = connect();
    auto prompt = openPrompt();
    REQUIRE(prompt->showConsent({"Acme IT", std::chrono::seconds(30), {}}).ok());
    const Window w = waitForWindow(d.get(), *prompt, layout::kConsentTitle);
    REQUIRE(prompt->updateConsent({"Acme IT", std::chrono::seconds(30), {{"Ada Lovelace", "489 618"}}}).ok());
    const std::string titled = std::string(layout::kConsentTitle) + " (code 489 618)";
    CHECK(pollUntil([&] { return findByTitle(d.get(), titled) == w; }, std::chrono::seconds(5)));
    CHECK(utf8Property(d.get(), w, "_NET_WM_NAME") == titled);
    CHECK_FALSE(prompt->pollConsent().has_value());  // still asking: the timeout did not restart or fire
    prompt->close();
}

TEST_CASE("session window: exact title, above, names updated in place, End clicked") {
    auto d = connect();
    auto prompt = openPrompt();
    REQUIRE(prompt->showSessionActive({{"Ada Lovelace", ""}}).ok());
    const Window w = waitForWindow(d.get(), *prompt, layout::kSessionTitle);
    CHECK(utf8Property(d.get(), w, "_NET_WM_NAME") == layout::kSessionTitle);
    CHECK(keptAbove(d.get(), w));
    XWindowAttributes attrs{};
    REQUIRE(XGetWindowAttributes(d.get(), w, &attrs));
    CHECK(attrs.width == layout::kSessionWidth);
    CHECK(attrs.height == layout::kSessionHeight);

    REQUIRE(prompt->showSessionActive({{"Ada Lovelace", "489 618"}, {"Grace Hopper", ""}, {"", ""}, {"Émilie", ""}, {"Ken", ""}})
                .ok());
    // The same window, redrawn; its title now carries the code the technician sees.
    CHECK(findByTitle(d.get(), std::string(layout::kSessionTitle) + " (code 489 618)") == w);
    pressKey(d.get(), w, XK_Escape);  // only End ends
    CHECK_FALSE(pollUntil([&] { return prompt->pollEndRequested(); }, std::chrono::milliseconds(300)));
    click(d.get(), w, layout::kEndButton.centerX(), layout::kEndButton.centerY());
    CHECK(pollUntil([&] { return prompt->pollEndRequested(); }, std::chrono::seconds(5)));
    prompt->close();
    CHECK(findByTitle(d.get(), layout::kSessionTitle) == 0);
}
