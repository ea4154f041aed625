// The Win32 backend on a live desktop (real Windows, or Wine on Xvfb): capture of a window
// this test paints, pointer/keyboard injection into it, clipboard, system info, keymap, and
// the Winsock transport against a loopback listener.
#include <doctest/doctest.h>
#include <winsock2.h>
#include <windows.h>
#include <ws2tcpip.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "platform/platform.h"
#include "platform/process.h"
#include "platform/transport.h"
#include "platform/win32/system_proxy.h"
#include "platform/win32/win32_keymap.h"
#include "platform/win32/win32_user_prompt.h"

using namespace guru;
using namespace guru::platform;
using namespace std::chrono_literals;

namespace {

// What the test window saw; one window, on the test's thread.
struct Seen {
    int clicks = 0;
    POINT clickAt{};
    std::wstring typed;
    std::vector<WPARAM> keysDown;
};
Seen gSeen;  // the window procedure has no context pointer until WM_NCCREATE; tests only
COLORREF gFill = RGB(255, 0, 0);

LRESULT CALLBACK testWindowProc(HWND w, UINT msg, WPARAM wp, LPARAM lp) {
    switch (msg) {
        case WM_LBUTTONDOWN:
            ++gSeen.clicks;
            gSeen.clickAt = {static_cast<short>(LOWORD(lp)), static_cast<short>(HIWORD(lp))};
            return 0;
        case WM_KEYDOWN:
            gSeen.keysDown.push_back(wp);
            return DefWindowProcW(w, msg, wp, lp);
        case WM_CHAR:
            if (wp == 3) return 0;  // Ctrl+C
            gSeen.typed.push_back(static_cast<wchar_t>(wp));
            return 0;
        case WM_PAINT: {
            PAINTSTRUCT ps;
            HDC dc = BeginPaint(w, &ps);
            HBRUSH brush = CreateSolidBrush(gFill);
            RECT r;
            GetClientRect(w, &r);
            FillRect(dc, &r, brush);
            DeleteObject(brush);
            EndPaint(w, &ps);
            return 0;
        }
        default: return DefWindowProcW(w, msg, wp, lp);
    }
}

// Pumps this thread's messages until `done` or the time runs out.
template <typename Pred>
bool pumpUntil(Pred done, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        MSG m;
        while (PeekMessageW(&m, nullptr, 0, 0, PM_REMOVE)) {
            TranslateMessage(&m);
            DispatchMessageW(&m);
        }
        if (done()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return done();
}

struct TestWindow {
    HWND hwnd = nullptr;
    TestWindow(int x, int y, int w, int h) {
        WNDCLASSW wc{};
        wc.lpfnWndProc = testWindowProc;
        wc.hInstance = GetModuleHandleW(nullptr);
        wc.lpszClassName = L"GuruTestWindow";
        wc.hCursor = LoadCursorW(nullptr, MAKEINTRESOURCEW(32512));  // IDC_ARROW
        RegisterClassW(&wc);
        hwnd = CreateWindowExW(WS_EX_TOPMOST, L"GuruTestWindow", L"guru test", WS_POPUP | WS_VISIBLE,
                               x, y, w, h, nullptr, nullptr, wc.hInstance, nullptr);
        SetForegroundWindow(hwnd);
        SetFocus(hwnd);
        UpdateWindow(hwnd);
        pumpUntil([] { return false; }, 300ms);
    }
    ~TestWindow() { DestroyWindow(hwnd); }
};

// BGRX pixel at (x, y) of whatever the capturer handed over last for that row.
struct Frame {
    std::vector<std::byte> pixels;
    int width = 0, height = 0;
    std::vector<Rect> regions;
    RegionSink sink() {
        return [this](const Rect& at, const ImageView& v) {
            regions.push_back(at);
            for (int y = 0; y < at.height; ++y) {
                std::memcpy(pixels.data() + ((at.y + y) * static_cast<std::size_t>(width) + at.x) * 4,
                            v.row(y), static_cast<std::size_t>(at.width) * 4);
            }
        };
    }
    std::array<int, 3> rgb(int x, int y) const {
        const std::byte* p = pixels.data() + (static_cast<std::size_t>(y) * width + x) * 4;
        return {std::to_integer<int>(p[2]), std::to_integer<int>(p[1]), std::to_integer<int>(p[0])};
    }
};

}  // namespace

TEST_CASE("keymap: DOM codes to scancodes, named keys, single code points") {
    using namespace guru::platform::win32;
    REQUIRE(strokeForCode("KeyA"));
    CHECK(strokeForCode("KeyA")->scancode == 0x1E);
    CHECK(!strokeForCode("KeyA")->extended);
    CHECK(strokeForCode("ArrowLeft")->scancode == 0x4B);
    CHECK(strokeForCode("ArrowLeft")->extended);
    CHECK(strokeForCode("Pause")->virtualKey == VK_PAUSE);
    CHECK(!strokeForCode("NoSuchKey"));
    CHECK(strokeForNamedKey("Enter")->scancode == 0x1C);
    CHECK(strokeForNamedKey("Control")->scancode == 0x1D);
    CHECK(!strokeForNamedKey("a"));
    CHECK(singleCodepoint("a") == U'a');
    CHECK(singleCodepoint("\xC3\xA9") == U'\u00E9');
    CHECK(singleCodepoint("\xE2\x82\xAC") == U'\u20AC');
    CHECK(singleCodepoint("\xF0\x9F\x98\x80") == U'\U0001F600');
    CHECK(!singleCodepoint("ab"));
    CHECK(!singleCodepoint("\t"));
    CHECK(!singleCodepoint("\xC3"));
}

TEST_CASE("GDI capture sees a painted window, then only what changed") {
    TestWindow window(100, 100, 200, 150);
    auto capturer = openCapturer({});
    REQUIRE(capturer);
    ScreenCapturer& c = **capturer;
    const Rect b = c.bounds();
    REQUIRE(b.width >= 400);
    REQUIRE(b.height >= 300);
    const auto monitors = c.monitors();
    REQUIRE(!monitors.empty());
    CHECK(monitors[0].width > 0);

    Frame f{std::vector<std::byte>(static_cast<std::size_t>(b.width) * b.height * 4), b.width, b.height, {}};
    REQUIRE(c.capture(1s, f.sink()) == CaptureStatus::Ok);
    REQUIRE(f.regions.size() == 1);
    CHECK(f.regions[0] == b);
    CHECK(f.rgb(200, 175) == std::array<int, 3>{255, 0, 0});

    gFill = RGB(0, 0, 255);
    InvalidateRect(window.hwnd, nullptr, TRUE);
    pumpUntil([] { return false; }, 200ms);
    f.regions.clear();
    CaptureStatus status = CaptureStatus::Timeout;
    for (int i = 0; i < 5 && status == CaptureStatus::Timeout; ++i) status = c.capture(500ms, f.sink());
    REQUIRE(status == CaptureStatus::Ok);
    CHECK(f.rgb(200, 175) == std::array<int, 3>{0, 0, 255});
    for (const Rect& r : f.regions) {  // bands around the window, not the whole screen
        CHECK(r.bottom() > 100);
        CHECK(r.y < 250);
    }
    f.regions.clear();
    CHECK(c.capture(150ms, f.sink()) == CaptureStatus::Timeout);
    CHECK(f.regions.empty());
    c.invalidate();
    REQUIRE(c.capture(1s, f.sink()) == CaptureStatus::Ok);
    CHECK(f.regions.size() == 1);
    const auto position = c.cursorPosition();
    CHECK(position.has_value());
}

TEST_CASE("SendInput: pointer, click and typed text reach a window") {
    gFill = RGB(0, 128, 0);
    TestWindow window(100, 100, 200, 150);
    auto backend = openBackend({});
    REQUIRE(backend);
    InputInjector& input = *backend->input;
    gSeen = {};
    REQUIRE(input.movePointer(150, 130));
    pumpUntil([] { return false; }, 100ms);
    POINT p{};
    GetCursorPos(&p);
    CHECK(p.x == 150);
    CHECK(p.y == 130);
    REQUIRE(input.button(inner::Button::Left, true));
    REQUIRE(input.button(inner::Button::Left, false));
    CHECK(pumpUntil([] { return gSeen.clicks == 1; }, 2s));
    CHECK(gSeen.clickAt.x == 50);
    CHECK(gSeen.clickAt.y == 30);
    SetForegroundWindow(window.hwnd);
    SetFocus(window.hwnd);
    for (const char* k : {"h", "\xC3\xA9"}) {
        REQUIRE(input.key({true, 0, "", k}));
        REQUIRE(input.key({false, 0, "", k}));
    }
    REQUIRE(input.key({true, 0, "Digit1", "1"}));
    REQUIRE(input.key({false, 0, "Digit1", "1"}));
    CHECK(pumpUntil([] { return gSeen.typed.size() >= 3; }, 2s));
    CHECK(gSeen.typed == L"h\u00E91");
    // Keys by scancode: the layout turns them into virtual keys (and Enter into '\r').
    gSeen.keysDown.clear();
    REQUIRE(input.key({true, 0, "Enter", "Enter"}));
    REQUIRE(input.key({false, 0, "Enter", "Enter"}));
    REQUIRE(input.key({true, inner::Control, "ControlLeft", "Control"}));
    REQUIRE(input.key({true, inner::Control, "KeyC", "c"}));
    REQUIRE(input.key({false, inner::Control, "KeyC", "c"}));
    REQUIRE(input.key({false, 0, "ControlLeft", "Control"}));
    REQUIRE(input.key({true, 0, "ArrowLeft", "ArrowLeft"}));
    REQUIRE(input.key({false, 0, "ArrowLeft", "ArrowLeft"}));
    CHECK(pumpUntil([] { return gSeen.keysDown.size() >= 4; }, 2s));
    CHECK(gSeen.keysDown == std::vector<WPARAM>{VK_RETURN, VK_CONTROL, 'C', VK_LEFT});
    CHECK(gSeen.typed == L"h\u00E91\r");
    CHECK(!input.key({true, inner::Control, "NoSuchKey", "Unidentified"}));
    input.releaseAll();
}

TEST_CASE("Winsock transport: connect, both directions, interrupt wakes a receive") {
    WSADATA data;
    REQUIRE(WSAStartup(MAKEWORD(2, 2), &data) == 0);
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(listener, 1) == 0);
    int len = sizeof addr;
    getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);

    TransportOptions options;
    options.host = "127.0.0.1";
    options.port = ntohs(addr.sin_port);
    auto transport = connectTransport(options, nullptr);
    REQUIRE(transport);
    SOCKET peer = accept(listener, nullptr, nullptr);
    REQUIRE(peer != INVALID_SOCKET);

    const char hello[] = "hello";
    REQUIRE((*transport)->send(std::as_bytes(std::span(hello, 5))));
    char got[8] = {};
    CHECK(recv(peer, got, sizeof got, 0) == 5);
    CHECK(std::string(got, 5) == "hello");
    send(peer, "back", 4, 0);
    std::array<std::byte, 16> buffer{};
    auto n = (*transport)->receive(buffer, 2s);
    REQUIRE(n);
    CHECK(*n == 4);
    auto timedOut = (*transport)->receive(buffer, 100ms);
    REQUIRE(!timedOut);
    CHECK(timedOut.error() == TransportError::Timeout);

    std::thread stopper([&] {
        std::this_thread::sleep_for(200ms);
        (*transport)->interrupt();
    });
    const auto start = std::chrono::steady_clock::now();
    auto interrupted = (*transport)->receive(buffer, 10s);
    stopper.join();
    REQUIRE(!interrupted);
    CHECK(interrupted.error() == TransportError::Interrupted);
    CHECK(std::chrono::steady_clock::now() - start < 2s);

    // TLS against a peer that never answers the ClientHello: bounded by connectTimeout.
    options.tls = true;
    options.connectTimeout = 600ms;
    const auto tlsStart = std::chrono::steady_clock::now();
    auto tls = connectTransport(options, nullptr);
    REQUIRE(!tls);
    CHECK(tls.error() == TransportError::Timeout);
    CHECK(std::chrono::steady_clock::now() - tlsStart < 3s);
    closesocket(peer);
    closesocket(listener);
    WSACleanup();
}

TEST_CASE("prompt: consent answered by its buttons or timing out, session window with End") {
    using guru::platform::win32::Win32UserPrompt;
    Win32UserPrompt prompt;
    auto press = [&](int id) {
        HWND button = GetDlgItem(prompt.window(), id);
        REQUIRE(button);
        SendMessageW(button, BM_CLICK, 0, 0);
    };
    REQUIRE(prompt.showConsent({"Acme IT", 30s, {}}));
    REQUIRE(prompt.window());
    CHECK(!prompt.pollConsent());
    press(Win32UserPrompt::kAllow);
    CHECK(prompt.pollConsent() == Consent::Allowed);
    CHECK(!prompt.window());

    REQUIRE(prompt.showConsent({"Acme IT", 30s, {}}));
    PostMessageW(prompt.window(), WM_CLOSE, 0, 0);  // closing the question declines
    pumpUntil([] { return false; }, 50ms);
    CHECK(prompt.pollConsent() == Consent::Denied);

    REQUIRE(prompt.showConsent({"Acme IT", std::chrono::seconds(0), {}}));
    CHECK(prompt.pollConsent() == Consent::TimedOut);

    REQUIRE(prompt.showSessionActive({{"Ann", ""}}));
    REQUIRE(prompt.showSessionActive({{"Ann", "123 456"}, {"Bob", ""}}));  // updates the same window
    HWND shown = prompt.window();
    CHECK(!prompt.pollEndRequested());
    press(Win32UserPrompt::kEnd);
    CHECK(prompt.pollEndRequested());
    CHECK(prompt.window() == shown);
    prompt.close();
    CHECK(!prompt.window());
}

TEST_CASE("proxy settings: ProxyServer forms, per-scheme entries, ProxyOverride") {
    using guru::platform::win32::chooseProxy;
    using guru::platform::win32::ProxyEndpoint;
    CHECK(chooseProxy("proxy.corp:3128", "", "guru.example.com", true) == ProxyEndpoint{"proxy.corp", 3128});
    CHECK(chooseProxy("http=p1:80;https=p2:443", "", "guru.example.com", true) == ProxyEndpoint{"p2", 443});
    CHECK(chooseProxy("http=p1:80;https=p2:443", "", "guru.example.com", false) == ProxyEndpoint{"p1", 80});
    CHECK(chooseProxy("http://p1:8080", "", "guru.example.com", false) == ProxyEndpoint{"p1", 8080});
    CHECK(!chooseProxy("socks=s:1080", "", "guru.example.com", true));
    CHECK(!chooseProxy("p:99999", "", "guru.example.com", true));
    CHECK(!chooseProxy("p:3128", "*.example.com;10.*", "guru.example.com", true));
    CHECK(!chooseProxy("p:3128", "*.example.com;10.*", "10.1.2.3", true));
    CHECK(!chooseProxy("p:3128", "<local>", "intranet", true));
    CHECK(chooseProxy("p:3128", "<local>", "guru.example.com", true) == ProxyEndpoint{"p", 3128});
    CHECK(!chooseProxy("p:3128", "GURU.example.COM", "guru.example.com", true));
}
