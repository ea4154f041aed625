// XTest injection on a real Xvfb, verified by a window that records what it receives.
#include <doctest/doctest.h>  // before X11 headers, whose macros clash with it

#include <X11/XKBlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <algorithm>

#include "platform/platform.h"
#include "tests/x11/x11_test_window.h"

using namespace guru;
using namespace guru::platform;
using guru::test::RecordedEvent;
using guru::test::TestWindow;

namespace {

constexpr int kWinX = 100, kWinY = 100;

std::unique_ptr<InputInjector> openInput() {
    auto b = openBackend({guru::test::xvfbDisplay()});
    REQUIRE(b.ok());
    return std::move(b->input);
}

auto countOf(int type, unsigned button = 0) {
    return [=](const std::vector<RecordedEvent>& ev) {
        return std::count_if(ev.begin(), ev.end(), [&](const RecordedEvent& e) {
            return e.type == type && (button == 0 || e.button == button);
        });
    };
}

inner::Key key(bool pressed, std::string code, std::string text, std::uint8_t mods = 0) {
    return {pressed, mods, std::move(code), std::move(text)};
}

// Presses and releases one key; returns the keysym and state of the KeyPress seen.
RecordedEvent type(InputInjector& in, TestWindow& w, const inner::Key& down) {
    w.clearEvents();
    REQUIRE(in.key(down).ok());
    inner::Key up = down;
    up.pressed = false;
    REQUIRE(in.key(up).ok());
    bool got = w.waitFor([](const auto& ev) {
        return std::any_of(ev.begin(), ev.end(), [](auto& e) { return e.type == KeyRelease; });
    });
    REQUIRE(got);
    // The character's KeyPress; the agent may press or restore modifiers around it.
    for (auto it = w.events().rbegin(); it != w.events().rend(); ++it) {
        if (it->type == KeyPress && !IsModifierKey(it->keysym)) return *it;
    }
    FAIL("no KeyPress recorded");
    return {};
}

}  // namespace

TEST_CASE("pointer move lands where asked") {
    auto in = openInput();
    TestWindow w(guru::test::xvfbDisplay(), kWinX, kWinY, 400, 300);
    REQUIRE(in->movePointer(500, 321).ok());
    bool moved = w.waitFor([&](const auto&) {
        Window r, c;
        int rx = 0, ry = 0, wx, wy;
        unsigned m;
        XQueryPointer(w.display(), DefaultRootWindow(w.display()), &r, &c, &rx, &ry, &wx, &wy, &m);
        return rx == 500 && ry == 321;
    });
    CHECK(moved);
}

TEST_CASE("click, double-click and drag reach the window with the right coordinates") {
    auto in = openInput();
    TestWindow w(guru::test::xvfbDisplay(), kWinX, kWinY, 400, 300);
    REQUIRE(in->movePointer(kWinX + 50, kWinY + 60).ok());
    REQUIRE(in->button(inner::Button::Left, true).ok());
    REQUIRE(in->button(inner::Button::Left, false).ok());
    REQUIRE(w.waitFor([&](const auto& ev) { return countOf(ButtonRelease, 1)(ev) == 1; }));
    auto press = std::find_if(w.events().begin(), w.events().end(),
                              [](auto& e) { return e.type == ButtonPress; });
    REQUIRE(press != w.events().end());
    CHECK(press->button == 1);
    CHECK(press->x == 50);
    CHECK(press->y == 60);

    w.clearEvents();
    for (int i = 0; i < 2; ++i) {
        REQUIRE(in->button(inner::Button::Left, true).ok());
        REQUIRE(in->button(inner::Button::Left, false).ok());
    }
    CHECK(w.waitFor([&](const auto& ev) {
        return countOf(ButtonPress, 1)(ev) == 2 && countOf(ButtonRelease, 1)(ev) == 2;
    }));

    w.clearEvents();
    REQUIRE(in->movePointer(kWinX + 150, kWinY + 150).ok());
    REQUIRE(in->button(inner::Button::Left, true).ok());
    REQUIRE(in->movePointer(kWinX + 250, kWinY + 200).ok());
    REQUIRE(in->button(inner::Button::Left, false).ok());
    REQUIRE(w.waitFor([&](const auto& ev) { return countOf(ButtonRelease, 1)(ev) == 1; }));
    bool draggedMotion = std::any_of(w.events().begin(), w.events().end(), [](auto& e) {
        return e.type == MotionNotify && (e.state & Button1Mask) && e.x == 250 && e.y == 200;
    });
    CHECK(draggedMotion);
    auto release = std::find_if(w.events().begin(), w.events().end(),
                                [](auto& e) { return e.type == ButtonRelease; });
    CHECK(release->x == 250);
    CHECK(release->y == 200);

    w.clearEvents();
    REQUIRE(in->button(inner::Button::Right, true).ok());
    REQUIRE(in->button(inner::Button::Right, false).ok());
    CHECK(w.waitFor([&](const auto& ev) { return countOf(ButtonRelease, 3)(ev) == 1; }));
}

TEST_CASE("wheel deltas become button 4/5/6/7 clicks, remainders carry over") {
    auto in = openInput();
    TestWindow w(guru::test::xvfbDisplay(), kWinX, kWinY, 400, 300);
    REQUIRE(in->movePointer(kWinX + 10, kWinY + 10).ok());
    REQUIRE(in->wheel(0, 240).ok());
    CHECK(w.waitFor([&](const auto& ev) { return countOf(ButtonPress, 5)(ev) == 2; }));
    REQUIRE(in->wheel(0, -60).ok());
    REQUIRE(in->wheel(0, -60).ok());  // two halves make one notch up
    CHECK(w.waitFor([&](const auto& ev) { return countOf(ButtonPress, 4)(ev) == 1; }));
    REQUIRE(in->wheel(120, 0).ok());
    CHECK(w.waitFor([&](const auto& ev) { return countOf(ButtonPress, 7)(ev) == 1; }));
    CHECK(countOf(ButtonPress, 6)(w.events()) == 0);
}

TEST_CASE("keys: letters, shifted symbols, named keys and shortcuts") {
    auto in = openInput();
    TestWindow w(guru::test::xvfbDisplay(), kWinX, kWinY, 400, 300);
    REQUIRE(in->movePointer(kWinX + 10, kWinY + 10).ok());

    auto a = type(*in, w, key(true, "KeyA", "a"));
    CHECK(a.keysym == XK_a);
    CHECK((a.state & ShiftMask) == 0);

    // The viewer sent "@" without saying Shift: the agent adds Shift itself.
    auto at = type(*in, w, key(true, "Digit2", "@"));
    CHECK(at.keysym == XK_at);
    CHECK((at.state & ShiftMask) != 0);

    auto enter = type(*in, w, key(true, "Enter", "Enter"));
    CHECK(enter.keysym == XK_Return);

    // Shift held by the viewer, "A" typed.
    REQUIRE(in->key(key(true, "ShiftLeft", "Shift", inner::Shift)).ok());
    auto upper = type(*in, w, key(true, "KeyA", "A", inner::Shift));
    CHECK(upper.keysym == XK_A);
    // A layout where Shift gives digits (AZERTY): the agent lifts Shift for "1".
    auto one = type(*in, w, key(true, "Digit1", "1", inner::Shift));
    CHECK(one.keysym == XK_1);
    CHECK((one.state & ShiftMask) == 0);
    REQUIRE(in->key(key(false, "ShiftLeft", "Shift")).ok());

    // Ctrl+C keeps Control and sends c.
    REQUIRE(in->key(key(true, "ControlLeft", "Control", inner::Control)).ok());
    auto copy = type(*in, w, key(true, "KeyC", "c", inner::Control));
    CHECK(copy.keysym == XK_c);
    CHECK((copy.state & ControlMask) != 0);
    REQUIRE(in->key(key(false, "ControlLeft", "Control")).ok());
}

TEST_CASE("characters the layout lacks are typed through a remapped spare keycode") {
    auto in = openInput();
    TestWindow w(guru::test::xvfbDisplay(), kWinX, kWinY, 400, 300);
    REQUIRE(in->movePointer(kWinX + 10, kWinY + 10).ok());
    struct Case {
        const char* text;
        KeySym expected;
    } cases[] = {{"é", XK_eacute}, {"ß", XK_ssharp}, {"€", XK_EuroSign},
                 {"ñ", XK_ntilde}, {"世", 0x01000000 + 0x4E16}};
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto e = type(*in, w, key(true, "KeyE", c.text));
        CHECK(e.keysym == c.expected);
    }
    // More distinct characters than remap slots still work (slots are recycled).
    const char* many[] = {"à", "è", "ì", "ò", "ù", "â", "ê", "î", "ô", "û", "ç"};
    for (const char* t : many) {
        CAPTURE(t);
        auto e = type(*in, w, key(true, "KeyE", t));
        CHECK(e.keysym != NoSymbol);
    }
}

TEST_CASE("releaseAll lets go of held keys and buttons") {
    auto in = openInput();
    TestWindow w(guru::test::xvfbDisplay(), kWinX, kWinY, 400, 300);
    REQUIRE(in->movePointer(kWinX + 10, kWinY + 10).ok());
    REQUIRE(in->key(key(true, "KeyQ", "q")).ok());
    REQUIRE(in->button(inner::Button::Left, true).ok());
    REQUIRE(w.waitFor([&](const auto& ev) { return countOf(ButtonPress, 1)(ev) == 1; }));
    in->releaseAll();
    CHECK(w.waitFor([&](const auto& ev) {
        return countOf(KeyRelease)(ev) == 1 && countOf(ButtonRelease, 1)(ev) == 1;
    }));
    CHECK(in->key(key(true, "Nope", "")).error() == InputError::UnknownKey);
}
