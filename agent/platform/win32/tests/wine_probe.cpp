// guru-wine-probe.exe: a Windows test program for the end-to-end tests under Wine
// (tests/wine/). It covers the desktop with a known pattern and records what reaches it:
//   ready                  once painted
//   click X Y              a left click, in desktop pixels
//   typed TEXT             the characters typed (UTF-8) up to Enter
// usage: guru-wine-probe.exe LOGFILE
#include <windows.h>

#include <cstdio>
#include <string>

namespace {

// The pattern: four flat quadrants and a line of text (lossless tiles in the viewer).
constexpr COLORREF kQuadrants[4] = {RGB(200, 40, 40), RGB(40, 160, 60), RGB(230, 230, 230),
                                    RGB(30, 60, 200)};

struct Probe {
    std::FILE* log = nullptr;
    std::wstring typed;
    bool announced = false;

    void line(const std::string& text) {
        std::fprintf(log, "%s\n", text.c_str());
        std::fflush(log);
    }
};
Probe* gProbe = nullptr;  // the window procedure's only context (one window, one process)

std::string utf8(const std::wstring& w) {
    if (w.empty()) return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0,
                                      nullptr, nullptr);
    std::string out(static_cast<std::size_t>(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), out.data(), n, nullptr,
                        nullptr);
    return out;
}

void paint(HWND window) {
    PAINTSTRUCT ps;
    HDC dc = BeginPaint(window, &ps);
    RECT client;
    GetClientRect(window, &client);
    const int w = client.right / 2, h = client.bottom / 2;
    for (int i = 0; i < 4; ++i) {
        RECT r{(i % 2) * w, (i / 2) * h, (i % 2) * w + w, (i / 2) * h + h};
        HBRUSH brush = CreateSolidBrush(kQuadrants[i]);
        FillRect(dc, &r, brush);
        DeleteObject(brush);
    }
    SetBkMode(dc, TRANSPARENT);
    SetTextColor(dc, RGB(0, 0, 0));
    RECT text{16, h + 16, w - 16, h + 48};
    DrawTextW(dc, L"GuruConnect under Wine", -1, &text, DT_LEFT | DT_TOP | DT_SINGLELINE);
    EndPaint(window, &ps);
    if (!gProbe->announced) {
        gProbe->announced = true;
        gProbe->line("ready");
    }
}

LRESULT CALLBACK probeProc(HWND window, UINT message, WPARAM w, LPARAM l) {
    switch (message) {
        case WM_PAINT: paint(window); return 0;
        case WM_LBUTTONDOWN: {
            POINT p{static_cast<short>(LOWORD(l)), static_cast<short>(HIWORD(l))};
            ClientToScreen(window, &p);
            gProbe->line("click " + std::to_string(p.x) + " " + std::to_string(p.y));
            SetFocus(window);
            return 0;
        }
        case WM_CHAR:
            if (w == L'\r') {
                gProbe->line("typed " + utf8(gProbe->typed));
                gProbe->typed.clear();
            } else if (w >= 0x20) {
                gProbe->typed.push_back(static_cast<wchar_t>(w));
            }
            return 0;
        case WM_DESTROY: PostQuitMessage(0); return 0;
        default: return DefWindowProcW(window, message, w, l);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return std::fputs("usage: guru-wine-probe.exe LOGFILE\n", stderr), 2;
    Probe probe;
    probe.log = std::fopen(argv[1], "w");
    if (!probe.log) return std::perror(argv[1]), 1;
    gProbe = &probe;
    WNDCLASSW wc{};
    wc.lpfnWndProc = probeProc;
    wc.hInstance = GetModuleHandleW(nullptr);
    wc.hCursor = LoadCursorW(nullptr, MAKEINTRESOURCEW(32512));
    wc.lpszClassName = L"GuruWineProbe";
    RegisterClassW(&wc);
    HWND window = CreateWindowExW(0, wc.lpszClassName, L"guru probe", WS_POPUP | WS_VISIBLE,
                                  GetSystemMetrics(SM_XVIRTUALSCREEN), GetSystemMetrics(SM_YVIRTUALSCREEN),
                                  GetSystemMetrics(SM_CXVIRTUALSCREEN), GetSystemMetrics(SM_CYVIRTUALSCREEN),
                                  nullptr, nullptr, wc.hInstance, nullptr);
    if (!window) return std::fputs("CreateWindow failed\n", stderr), 1;
    SetForegroundWindow(window);
    SetFocus(window);
    MSG message;
    while (GetMessageW(&message, nullptr, 0, 0) > 0) {
        TranslateMessage(&message);
        DispatchMessageW(&message);
    }
    std::fclose(probe.log);
    return 0;
}
