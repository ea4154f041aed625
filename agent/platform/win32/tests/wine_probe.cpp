// guru-wine-probe.exe: a Windows test program for the end-to-end tests under Wine
// (tests/wine/). It covers the desktop with a known pattern and records what reaches it:
//   ready                  once painted
//   click X Y              a left click, in desktop pixels
//   typed TEXT             the characters typed (UTF-8) up to Enter
// Or it stands for a program that uses the clipboard (CF_UNICODETEXT, text as UTF-8 files, so
// that no command-line code page gets in the way):
//   --clip-set TEXTFILE    copies the file's text, prints "copied", and keeps running (the
//                          clipboard owner, as an application would be) until killed
//   --clip-get OUTFILE     writes the clipboard's text to OUTFILE; exit 3 if it holds none
// Or it is bench/stream's input-to-photon marker under Wine, where SendInput never reaches X
// clients such as the stopwatch:
//   --marker LOGFILE X Y   a 64x64 tile at (256,128), black, flipped black/white by each left
//                          click into a 64x64 window centred on (X, Y); logs "ready", then
//                          "event MS STATE" per click (CLOCK_REALTIME ms, like the stopwatch)
// usage: guru-wine-probe.exe LOGFILE | --clip-set TEXTFILE | --clip-get OUTFILE | --marker LOGFILE X Y
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
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

std::wstring widen(const std::string& s) {
    if (s.empty()) return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
    return out;
}

/// Opens the clipboard for one scope, retried for up to 2 s: the agent may hold it briefly.
class OpenedClipboard {
public:
    explicit OpenedClipboard(HWND owner) {
        for (int attempt = 0; attempt < 200 && !open_; ++attempt) {
            open_ = OpenClipboard(owner) != 0;
            if (!open_) Sleep(10);
        }
    }
    ~OpenedClipboard() {
        if (open_) CloseClipboard();
    }
    OpenedClipboard(const OpenedClipboard&) = delete;
    OpenedClipboard& operator=(const OpenedClipboard&) = delete;
    explicit operator bool() const { return open_; }

private:
    bool open_ = false;
};

int clipSet(const char* path) {
    std::FILE* in = std::fopen(path, "rb");
    if (!in) return std::perror(path), 1;
    std::string text;
    char chunk[4096];
    for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, in)) > 0;) text.append(chunk, n);
    std::fclose(in);
    const std::wstring wide = widen(text);
    const std::size_t bytes = (wide.size() + 1) * sizeof(wchar_t);
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, bytes);
    if (!memory) return std::fputs("GlobalAlloc failed\n", stderr), 1;
    std::memcpy(GlobalLock(memory), wide.c_str(), bytes);
    GlobalUnlock(memory);
    // A hidden owner window, alive until the process is killed, like an application's.
    HWND owner = CreateWindowExW(0, L"STATIC", L"guru probe clipboard", 0, 0, 0, 0, 0, HWND_MESSAGE,
                                 nullptr, GetModuleHandleW(nullptr), nullptr);
    {
        OpenedClipboard clipboard(owner);
        if (!clipboard || !EmptyClipboard() || !SetClipboardData(CF_UNICODETEXT, memory)) {
            GlobalFree(memory);
            return std::fputs("could not set the clipboard\n", stderr), 1;
        }
    }
    std::puts("copied");
    std::fflush(stdout);
    MSG message;
    while (GetMessageW(&message, nullptr, 0, 0) > 0) DispatchMessageW(&message);
    return 0;
}

int clipGet(const char* path) {
    std::string text;
    {
        OpenedClipboard clipboard(nullptr);
        if (!clipboard) return std::fputs("could not open the clipboard\n", stderr), 1;
        HANDLE data = GetClipboardData(CF_UNICODETEXT);
        const auto* locked = data ? static_cast<const wchar_t*>(GlobalLock(data)) : nullptr;
        if (!locked) return 3;
        text = utf8(std::wstring(locked, wcsnlen(locked, GlobalSize(data) / sizeof(wchar_t))));
        GlobalUnlock(data);
    }
    std::FILE* out = std::fopen(path, "wb");
    if (!out) return std::perror(path), 1;
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
    return 0;
}

struct Marker {
    std::FILE* log = nullptr;
    HWND tile = nullptr;
    bool white = false;
};
Marker* gMarker = nullptr;  // the marker windows' only context (one process, one thread)

double realtimeMs() {
    FILETIME now;
    GetSystemTimePreciseAsFileTime(&now);
    ULARGE_INTEGER t;
    t.LowPart = now.dwLowDateTime;
    t.HighPart = now.dwHighDateTime;
    return static_cast<double>(t.QuadPart - 116444736000000000ULL) / 10000.0;  // from 1601 to 1970
}

LRESULT CALLBACK markerProc(HWND window, UINT message, WPARAM w, LPARAM l) {
    switch (message) {
        case WM_PAINT: {
            PAINTSTRUCT ps;
            HDC dc = BeginPaint(window, &ps);
            const int brush = window != gMarker->tile ? GRAY_BRUSH : gMarker->white ? WHITE_BRUSH : BLACK_BRUSH;
            FillRect(dc, &ps.rcPaint, static_cast<HBRUSH>(GetStockObject(brush)));
            EndPaint(window, &ps);
            return 0;
        }
        case WM_MOUSEACTIVATE: return MA_NOACTIVATE;
        case WM_LBUTTONDOWN: {
            const double at = realtimeMs();
            gMarker->white = !gMarker->white;
            InvalidateRect(gMarker->tile, nullptr, FALSE);
            UpdateWindow(gMarker->tile);
            std::fprintf(gMarker->log, "event %.3f %d\n", at, gMarker->white ? 1 : 0);
            std::fflush(gMarker->log);
            return 0;
        }
        default: return DefWindowProcW(window, message, w, l);
    }
}

int marker(const char* path, int x, int y) {
    Marker state;
    state.log = std::fopen(path, "w");
    if (!state.log) return std::perror(path), 1;
    gMarker = &state;
    WNDCLASSW wc{};
    wc.lpfnWndProc = markerProc;
    wc.hInstance = GetModuleHandleW(nullptr);
    wc.hCursor = LoadCursorW(nullptr, MAKEINTRESOURCEW(32512));
    wc.lpszClassName = L"GuruWineMarker";
    RegisterClassW(&wc);
    constexpr DWORD style = WS_POPUP | WS_VISIBLE;
    constexpr DWORD exStyle = WS_EX_TOPMOST | WS_EX_NOACTIVATE | WS_EX_TOOLWINDOW;
    state.tile = CreateWindowExW(exStyle, wc.lpszClassName, L"guru marker", style, 256, 128, 64, 64,
                                 nullptr, nullptr, wc.hInstance, nullptr);
    HWND target = CreateWindowExW(exStyle, wc.lpszClassName, L"guru click target", style, x - 32,
                                  y - 32, 64, 64, nullptr, nullptr, wc.hInstance, nullptr);
    if (!state.tile || !target) return std::fputs("CreateWindow failed\n", stderr), 1;
    UpdateWindow(state.tile);
    UpdateWindow(target);
    std::fputs("ready\n", state.log);
    std::fflush(state.log);
    MSG message;
    while (GetMessageW(&message, nullptr, 0, 0) > 0) DispatchMessageW(&message);
    std::fclose(state.log);
    return 0;
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
    if (argc == 3 && std::strcmp(argv[1], "--clip-set") == 0) return clipSet(argv[2]);
    if (argc == 3 && std::strcmp(argv[1], "--clip-get") == 0) return clipGet(argv[2]);
    if (argc == 5 && std::strcmp(argv[1], "--marker") == 0)
        return marker(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
    if (argc != 2) {
        std::fputs("usage: guru-wine-probe.exe LOGFILE | --clip-set TEXTFILE | --clip-get OUTFILE | "
                   "--marker LOGFILE X Y\n", stderr);
        return 2;
    }
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
