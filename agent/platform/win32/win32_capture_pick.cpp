// DXGI first, GDI as the fallback; GURU_CAPTURE=gdi|dxgi forces one.
#include "platform/win32/win32_capture_pick.h"

#include <windows.h>

#include <cstdio>
#include <mutex>

#include "platform/win32/dxgi_screen_capturer.h"
#include "platform/win32/gdi_screen_capturer.h"

namespace guru::platform::win32 {

namespace {

constexpr std::size_t kMaxShownValue = 32;

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
        if (x != b[i]) return false;
    }
    return true;
}

// GURU_CAPTURE from the process environment (the Win32 block, which SetEnvironmentVariable
// changes, rather than the C runtime's copy).
std::optional<std::string> readPreferenceVariable() {
    char buffer[256];
    const DWORD n = GetEnvironmentVariableA("GURU_CAPTURE", buffer, sizeof buffer);
    if (n == 0) return std::nullopt;
    if (n >= sizeof buffer) return std::string(kMaxShownValue + 1, '?');  // too long: unknown
    return std::string(buffer, n);
}

void log(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

Result<std::unique_ptr<ScreenCapturer>, BackendError> openGdi(CapturePreference preference,
                                                              std::string_view dxgiFailure) {
    auto gdi = GdiScreenCapturer::open();
    if (!gdi) {
        std::string line = std::string("capture: gdi failed: ") + name(gdi.error());
        if (!dxgiFailure.empty()) line += " (dxgi unavailable: " + std::string(dxgiFailure) + ")";
        log(line);
        return Failure{gdi.error()};
    }
    log(pickedLine("gdi", preference, dxgiFailure));
    return std::unique_ptr<ScreenCapturer>(std::move(*gdi));
}

}  // namespace

CapturePreference parseCapturePreference(std::optional<std::string_view> value) {
    if (!value || value->empty()) return CapturePreference::Auto;
    if (equalsIgnoringCase(*value, "gdi")) return CapturePreference::Gdi;
    if (equalsIgnoringCase(*value, "dxgi")) return CapturePreference::Dxgi;
    return CapturePreference::Unknown;
}

std::string ignoredPreferenceLine(std::string_view value) {
    std::string shown;
    for (char c : value.substr(0, kMaxShownValue)) shown.push_back(c >= 0x20 && c < 0x7F ? c : '?');
    if (value.size() > kMaxShownValue) shown += "...";
    return "capture: ignoring GURU_CAPTURE=" + shown + " (expected gdi or dxgi)";
}

std::string pickedLine(std::string_view picked, CapturePreference preference,
                       std::string_view dxgiFailure) {
    std::string line = "capture: " + std::string(picked);
    if (preference == CapturePreference::Gdi || preference == CapturePreference::Dxgi) {
        return line + " (GURU_CAPTURE=" + std::string(picked) + ")";
    }
    if (!dxgiFailure.empty()) line += " (dxgi unavailable: " + std::string(dxgiFailure) + ")";
    return line;
}

std::string forcedDxgiFailedLine(std::string_view dxgiFailure) {
    return "capture: dxgi unavailable: " + std::string(dxgiFailure) +
           " (GURU_CAPTURE=dxgi, so no gdi fallback)";
}

Result<std::unique_ptr<ScreenCapturer>, BackendError> openPreferredCapturer() {
    const std::optional<std::string> variable = readPreferenceVariable();
    CapturePreference preference = parseCapturePreference(variable);
    if (preference == CapturePreference::Unknown) {
        log(ignoredPreferenceLine(variable.value_or("")));
        preference = CapturePreference::Auto;
    }
    if (preference == CapturePreference::Gdi) return openGdi(preference, {});
    // Once this system has shown it has no Desktop Duplication, later sessions skip the try
    // (under Wine each try creates and drops a Direct3D device).
    static std::mutex mutex;
    static std::string permanentFailure;
    {
        std::lock_guard lock(mutex);
        if (!permanentFailure.empty() && preference == CapturePreference::Auto) {
            return openGdi(preference, permanentFailure + ", not retried");
        }
    }
    auto dxgi = DxgiScreenCapturer::open();
    if (dxgi) {
        log(pickedLine("dxgi", preference, {}));
        return std::unique_ptr<ScreenCapturer>(std::move(*dxgi));
    }
    const std::string why = dxgi.error().describe();
    if (isPermanent(dxgi.error())) {
        std::lock_guard lock(mutex);
        permanentFailure = why;
    }
    if (preference == CapturePreference::Dxgi) {
        log(forcedDxgiFailedLine(why));
        return Failure{BackendError::MissingExtension};
    }
    return openGdi(preference, why);
}

}  // namespace guru::platform::win32
