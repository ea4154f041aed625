// X11 capture on a real Xvfb: full first frame, drawn pattern read back exactly,
// XDamage reporting only the changed region, timeouts, monitors and the cursor.
#include <doctest/doctest.h>  // before X11 headers, whose macros clash with it

#include <X11/Xutil.h>
#include <X11/extensions/Xrandr.h>

#include <thread>

#include "core/tile_tracker.h"
#include "platform/platform.h"
#include "tests/x11/x11_test_window.h"

using namespace guru;
using namespace guru::platform;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<ScreenCapturer> openOnXvfb() {
    auto c = openCapturer({guru::test::xvfbDisplay()});
    REQUIRE(c.ok());
    return std::move(*c);
}

// A capture into a tracker, remembering the regions the capturer handed over.
struct Capture {
    TileTracker desktop;
    std::vector<Rect> regions;

    CaptureStatus run(ScreenCapturer& c, std::chrono::milliseconds timeout) {
        desktop.resize(c.bounds().width, c.bounds().height);
        return c.capture(timeout, [this](const Rect& at, const ImageView& pixels) {
            CHECK(pixels.width == at.width);
            CHECK(pixels.height == at.height);
            regions.push_back(at);
            desktop.apply(at, pixels);
        });
    }
};

// Captures until nothing more arrives, so that later damage belongs to the test alone.
void settle(ScreenCapturer& c, Capture& into) {
    for (int i = 0; i < 50; ++i) {
        if (into.run(c, 150ms) == CaptureStatus::Timeout) return;
    }
    FAIL("the screen never went quiet");
}

// The colour at (x, y) as 0xRRGGBB.
unsigned pixel(const ImageView& v, int x, int y) {
    const std::byte* p = v.row(y) + x * 4;
    return (std::to_integer<unsigned>(p[2]) << 16) | (std::to_integer<unsigned>(p[1]) << 8) |
           std::to_integer<unsigned>(p[0]);
}

// Captures (bounded) until the regions handed over cover `want`.
void captureUntilCovered(ScreenCapturer& c, const Rect& want, Capture& into) {
    into.regions.clear();
    for (int i = 0; i < 20; ++i) {
        auto status = into.run(c, 500ms);
        if (status == CaptureStatus::Timeout) continue;
        REQUIRE(status == CaptureStatus::Ok);
        int covered = 0;
        for (const Rect& r : into.regions) covered += r.intersect(want).width * r.intersect(want).height;
        if (covered >= want.width * want.height) return;
    }
}

}  // namespace

TEST_CASE("the first capture is the whole 1920x1080 desktop") {
    auto c = openOnXvfb();
    CHECK(c->bounds() == Rect{0, 0, 1920, 1080});
    Capture cap;
    REQUIRE(cap.run(*c, 1s) == CaptureStatus::Ok);
    // Handed over in XShm bands, which together tile the desktop exactly.
    REQUIRE(cap.regions.size() > 1);
    int area = 0;
    for (const Rect& r : cap.regions) {
        CHECK(r.x == 0);
        CHECK(r.width == 1920);
        area += r.width * r.height;
    }
    CHECK(area == 1920 * 1080);
    CHECK(cap.desktop.takeChanged().size() == 30 * 17);
}

TEST_CASE("a drawn pattern is captured pixel-exact through XShm") {
    auto c = openOnXvfb();
    guru::test::TestWindow w(guru::test::xvfbDisplay(), 100, 200, 256, 128);
    Capture cap;
    settle(*c, cap);
    const unsigned colours[] = {0xff0000, 0x00ff00, 0x0000ff, 0x123456};
    for (int i = 0; i < 4; ++i) w.fill({i * 64, 0, 64, 128}, colours[i]);
    captureUntilCovered(*c, {100, 200, 256, 128}, cap);
    const ImageView image = cap.desktop.image();
    for (int i = 0; i < 4; ++i) {
        for (int y : {200, 263, 327}) {
            for (int x : {100 + i * 64, 100 + i * 64 + 31, 100 + i * 64 + 63}) {
                CAPTURE(x);
                CAPTURE(y);
                CHECK(pixel(image, x, y) == colours[i]);
            }
        }
    }
}

TEST_CASE("a full capture equals an independent XGetImage of the root, band seams included") {
    auto c = openOnXvfb();
    guru::test::TestWindow w(guru::test::xvfbDisplay(), 0, 100, 1920, 700);
    for (int i = 0; i < 30; ++i) w.fill({i * 64, i * 20, 64, 700 - i * 20}, 0x010203u * (i * 8));
    Capture cap;
    settle(*c, cap);
    c->invalidate();
    REQUIRE(cap.run(*c, 1s) == CaptureStatus::Ok);
    struct ImageFree { void operator()(XImage* i) const { XDestroyImage(i); } };
    std::unique_ptr<XImage, ImageFree> truth(XGetImage(w.display(), DefaultRootWindow(w.display()),
                                                      0, 0, 1920, 1080, AllPlanes, ZPixmap));
    REQUIRE(truth);
    int mismatches = 0;
    for (int y = 0; y < 1080; ++y) {
        for (int x = 0; x < 1920; ++x) {
            unsigned want = static_cast<unsigned>(XGetPixel(truth.get(), x, y)) & 0xFFFFFF;
            mismatches += pixel(cap.desktop.image(), x, y) != want;
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("XDamage reports only the changed region, and the tracker one tile") {
    auto c = openOnXvfb();
    guru::test::TestWindow w(guru::test::xvfbDisplay(), 0, 0, 640, 480);
    w.fill({0, 0, 640, 480}, 0x202020);
    Capture cap;
    settle(*c, cap);
    cap.desktop.takeChanged();

    const Rect changed{300, 150, 10, 10};
    w.fill(changed, 0xffffff);
    captureUntilCovered(*c, changed, cap);
    REQUIRE_FALSE(cap.regions.empty());
    int area = 0;
    for (const Rect& r : cap.regions) {
        CHECK(r.intersect(changed) == r);  // nothing outside the change
        area += r.width * r.height;
    }
    CHECK(area == 100);
    CHECK(pixel(cap.desktop.image(), 305, 155) == 0xffffff);
    auto tiles = cap.desktop.takeChanged();
    REQUIRE(tiles.size() == 1);
    CHECK(tiles[0] == Rect{256, 128, 64, 64});

    // Drawing the same colour again is damage without change: no tile to send.
    w.fill(changed, 0xffffff);
    captureUntilCovered(*c, changed, cap);
    CHECK_FALSE(cap.regions.empty());
    CHECK(cap.desktop.takeChanged().empty());
}

TEST_CASE("with nothing drawn, capture times out within its bound") {
    auto c = openOnXvfb();
    Capture cap;
    REQUIRE(cap.run(*c, 1s) == CaptureStatus::Ok);
    settle(*c, cap);
    auto start = std::chrono::steady_clock::now();
    CHECK(cap.run(*c, 200ms) == CaptureStatus::Timeout);
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(elapsed >= 150ms);
    CHECK(elapsed < 1500ms);
}

TEST_CASE("monitors: one by default, two after defining RandR 1.5 monitors") {
    auto c = openOnXvfb();
    auto one = c->monitors();
    REQUIRE(one.size() == 1);
    CHECK(one[0].width == 1920);
    CHECK(one[0].height == 1080);

    Display* d = XOpenDisplay(guru::test::xvfbDisplay().c_str());
    REQUIRE(d != nullptr);
    Window root = DefaultRootWindow(d);
    const char* names[] = {"GURU-LEFT", "GURU-RIGHT"};
    Atom atoms[2];
    for (int i = 0; i < 2; ++i) {
        XRRMonitorInfo* m = XRRAllocateMonitor(d, 0);
        atoms[i] = XInternAtom(d, names[i], False);
        m->name = atoms[i];
        m->primary = i == 0;
        m->x = i * 960;
        m->y = 0;
        m->width = 960;
        m->height = 1080;
        m->mwidth = 254;
        m->mheight = 286;
        XRRSetMonitor(d, root, m);
        XRRFreeMonitors(m);
    }
    XSync(d, False);
    auto two = c->monitors();
    for (Atom a : atoms) XRRDeleteMonitor(d, root, a);
    XSync(d, False);
    XCloseDisplay(d);

    REQUIRE(two.size() >= 2);
    bool left = false, right = false;
    for (const auto& m : two) {
        left = left || (m.x == 0 && m.width == 960 && m.height == 1080);
        right = right || (m.x == 960 && m.width == 960);
    }
    CHECK(left);
    CHECK(right);
    CHECK(c->monitors().size() == 1);
}

TEST_CASE("cursor image and position are available") {
    auto c = openOnXvfb();
    auto shape = c->cursorShapeIfChanged();
    REQUIRE(shape.has_value());
    CHECK(shape->width > 0);
    CHECK(shape->rgba.size() == std::size_t{shape->width} * shape->height * 4);
    CHECK(shape->hotX < shape->width);
    CHECK_FALSE(c->cursorShapeIfChanged().has_value());  // unchanged since
    auto pos = c->cursorPosition();
    REQUIRE(pos.has_value());
    CHECK(pos->x >= 0);
    CHECK(pos->x < 1920);
}
