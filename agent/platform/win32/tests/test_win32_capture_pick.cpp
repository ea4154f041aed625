// Which capture path openCapturer() picks (DXGI Desktop Duplication, else GDI; Wine 8 has no
// Desktop Duplication, so there it is GDI), GURU_CAPTURE, the log lines, and the DXGI
// capturer's rectangle arithmetic and HRESULT handling, which need no GPU.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#include <windows.h>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "platform/platform.h"
#include "platform/win32/dxgi_regions.h"
#include "platform/win32/dxgi_screen_capturer.h"
#include "platform/win32/dxgi_status.h"
#include "platform/win32/win32_capture_pick.h"

using namespace guru;
using namespace guru::platform;
using namespace guru::platform::win32;
using namespace std::chrono_literals;

namespace {

/// Sets GURU_CAPTURE for one test (nullptr: unset) and unsets it afterwards.
class CaptureVariable {
public:
    explicit CaptureVariable(const char* value) { SetEnvironmentVariableA("GURU_CAPTURE", value); }
    ~CaptureVariable() { SetEnvironmentVariableA("GURU_CAPTURE", nullptr); }
    CaptureVariable(const CaptureVariable&) = delete;
    CaptureVariable& operator=(const CaptureVariable&) = delete;
};

/// What `run` writes to the C runtime's stderr (fd 2, redirected to a temporary file).
template <typename Run>
std::string stderrOf(Run run) {
    char dir[MAX_PATH], path[MAX_PATH];
    if (!GetTempPathA(MAX_PATH, dir) || !GetTempFileNameA(dir, "gcp", 0, path)) return {};
    std::fflush(stderr);
    const int saved = _dup(2);
    const int file = _open(path, _O_WRONLY | _O_TRUNC | _O_BINARY, _S_IREAD | _S_IWRITE);
    if (saved < 0 || file < 0) return {};
    _dup2(file, 2);
    _close(file);
    run();
    std::fflush(stderr);
    _dup2(saved, 2);
    _close(saved);
    std::string text;
    if (std::FILE* in = std::fopen(path, "rb")) {
        char buffer[512];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, n);
        std::fclose(in);
    }
    DeleteFileA(path);
    return text;
}

long long area(const Rect& r) { return static_cast<long long>(r.width) * r.height; }

// The first capture must cover the whole desktop with non-overlapping regions.
void checkWholeDesktop(ScreenCapturer& capturer) {
    const Rect bounds = capturer.bounds();
    std::vector<Rect> got;
    const CaptureStatus status = capturer.capture(2000ms, [&](const Rect& at, const ImageView& pixels) {
        CHECK(pixels.width == at.width);
        CHECK(pixels.height == at.height);
        CHECK(at.intersect(bounds) == at);
        got.push_back(at);
    });
    REQUIRE(status == CaptureStatus::Ok);
    long long covered = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        covered += area(got[i]);
        for (std::size_t j = i + 1; j < got.size(); ++j) CHECK(got[i].intersect(got[j]).empty());
    }
    CHECK(covered == area(bounds));
}

}  // namespace

TEST_CASE("rectFromEdges takes a RECT's exclusive edges and rejects empty or inverted ones") {
    CHECK(rectFromEdges(10, 20, 110, 70) == Rect{10, 20, 100, 50});
    CHECK(rectFromEdges(-1920, 0, 0, 1080) == Rect{-1920, 0, 1920, 1080});
    CHECK_FALSE(rectFromEdges(5, 5, 5, 9).has_value());
    CHECK_FALSE(rectFromEdges(5, 9, 8, 2).has_value());
    // long is 32 bits on Windows: a width past INT_MAX must be refused, not wrap around.
    constexpr long kIntMax = std::numeric_limits<int>::max();
    CHECK_FALSE(rectFromEdges(-2, 0, kIntMax, 10).has_value());
    CHECK_FALSE(rectFromEdges(0, -2, 10, kIntMax).has_value());
    CHECK(rectFromEdges(0, 0, kIntMax, 1) == Rect{0, 0, kIntMax, 1});
}

TEST_CASE("boundingBox skips empty rectangles") {
    const std::vector<Rect> rects{{10, 10, 5, 5}, {0, 0, 0, 7}, {40, 2, 10, 3}};
    CHECK(boundingBox(rects) == Rect{10, 2, 40, 13});
    CHECK(boundingBox({}).empty());
}

TEST_CASE("changedRegions clips to the output and places it on the desktop") {
    // The second of two 1920x1080 monitors, right of the first.
    const Rect output{1920, 0, 1920, 1080};
    const std::vector<Rect> local{{0, 0, 64, 64}, {1900, 1070, 100, 100}, {2000, 0, 10, 10}};
    const auto regions = changedRegions(output, local, 64);
    REQUIRE(regions.size() == 2);  // the third lies outside the output
    CHECK(regions[0] == OutputRegion{{0, 0, 64, 64}, {1920, 0, 64, 64}});
    CHECK(regions[1] == OutputRegion{{1900, 1070, 20, 10}, {3820, 1070, 20, 10}});
}

TEST_CASE("changedRegions sends too many rectangles as their bounding box") {
    const Rect output{0, 0, 800, 600};
    std::vector<Rect> local;
    for (int i = 0; i < 10; ++i) local.push_back({i * 50, i * 40, 8, 8});
    const auto regions = changedRegions(output, local, 4);
    REQUIRE(regions.size() == 1);
    CHECK(regions[0].local == Rect{0, 0, 458, 368});
    CHECK(regions[0].desktop == regions[0].local);
    CHECK(changedRegions(output, local, 10).size() == 10);
    CHECK(changedRegions(output, local, 0).size() == 1);
}

TEST_CASE("uncoveredRects finds the gap beside a smaller monitor") {
    const Rect screen{0, 0, 3200, 1080};
    const std::vector<Rect> outputs{{0, 0, 1920, 1080}, {1920, 0, 1280, 1024}};
    const auto gaps = uncoveredRects(screen, outputs);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0] == Rect{1920, 1024, 1280, 56});
    CHECK(uncoveredRects({0, 0, 100, 100}, std::vector<Rect>{{0, 0, 100, 100}}).empty());
    // A monitor in the middle leaves four pieces that together make up the rest.
    const auto ring = uncoveredRects({0, 0, 100, 100}, std::vector<Rect>{{25, 25, 50, 50}});
    long long total = 0;
    for (const Rect& r : ring) total += area(r);
    CHECK(ring.size() == 4);
    CHECK(total == 100 * 100 - 50 * 50);
}

TEST_CASE("GURU_CAPTURE values") {
    CHECK(parseCapturePreference(std::nullopt) == CapturePreference::Auto);
    CHECK(parseCapturePreference("") == CapturePreference::Auto);
    CHECK(parseCapturePreference("gdi") == CapturePreference::Gdi);
    CHECK(parseCapturePreference("DXGI") == CapturePreference::Dxgi);
    CHECK(parseCapturePreference("dxgi ") == CapturePreference::Unknown);
    CHECK(parseCapturePreference("opengl") == CapturePreference::Unknown);
}

TEST_CASE("the capture log lines") {
    CHECK(pickedLine("dxgi", CapturePreference::Auto, "") == "capture: dxgi");
    CHECK(pickedLine("gdi", CapturePreference::Auto, "DuplicateOutput E_NOTIMPL") ==
          "capture: gdi (dxgi unavailable: DuplicateOutput E_NOTIMPL)");
    CHECK(pickedLine("gdi", CapturePreference::Gdi, "") == "capture: gdi (GURU_CAPTURE=gdi)");
    CHECK(pickedLine("dxgi", CapturePreference::Dxgi, "") == "capture: dxgi (GURU_CAPTURE=dxgi)");
    CHECK(forcedDxgiFailedLine("IDXGIOutput1 E_NOINTERFACE") ==
          "capture: dxgi unavailable: IDXGIOutput1 E_NOINTERFACE (GURU_CAPTURE=dxgi, so no gdi fallback)");
    CHECK(ignoredPreferenceLine("vnc") == "capture: ignoring GURU_CAPTURE=vnc (expected gdi or dxgi)");
    CHECK(ignoredPreferenceLine(std::string(40, 'x') + "\n") ==
          "capture: ignoring GURU_CAPTURE=" + std::string(32, 'x') + "... (expected gdi or dxgi)");
    CHECK(ignoredPreferenceLine("a\tb") == "capture: ignoring GURU_CAPTURE=a?b (expected gdi or dxgi)");
}

TEST_CASE("HRESULTs: names for the log, and what AcquireNextFrame's mean") {
    CHECK(DxgiUnavailable{DxgiStep::DuplicateOutput, E_NOTIMPL}.describe() == "DuplicateOutput E_NOTIMPL");
    CHECK(DxgiUnavailable{DxgiStep::RotatedOutput}.describe() == "rotated monitor");
    CHECK(hresultName(DXGI_ERROR_UNSUPPORTED) == "DXGI_ERROR_UNSUPPORTED");
    CHECK(hresultName(static_cast<HRESULT>(0x80001234)) == "0x80001234");
    CHECK(captureStatusForAcquire(S_OK) == CaptureStatus::Ok);
    CHECK(captureStatusForAcquire(DXGI_ERROR_WAIT_TIMEOUT) == CaptureStatus::Timeout);
    CHECK(captureStatusForAcquire(DXGI_ERROR_ACCESS_LOST) == CaptureStatus::Reinit);
    CHECK(captureStatusForAcquire(DXGI_ERROR_DEVICE_REMOVED) == CaptureStatus::Reinit);
    CHECK(captureStatusForAcquire(E_OUTOFMEMORY) == CaptureStatus::Error);
    CHECK(isPermanent({DxgiStep::DuplicateOutput, E_NOTIMPL}));
    CHECK(isPermanent({DxgiStep::DuplicateOutput, DXGI_ERROR_UNSUPPORTED}));
    CHECK(isPermanent({DxgiStep::LoadD3d11, S_OK}));
    CHECK_FALSE(isPermanent({DxgiStep::DuplicateOutput, E_ACCESSDENIED}));  // the secure desktop
    CHECK_FALSE(isPermanent({DxgiStep::DuplicateOutput, DXGI_ERROR_NOT_CURRENTLY_AVAILABLE}));
    CHECK_FALSE(isPermanent({DxgiStep::RotatedOutput, S_OK}));
}

TEST_CASE("the DXGI capturer opens, or says why not") {
    auto dxgi = DxgiScreenCapturer::open();
    if (dxgi) {
        CHECK((*dxgi)->name() == "dxgi");
        checkWholeDesktop(**dxgi);
    } else {
        const std::string why = dxgi.error().describe();
        MESSAGE("dxgi unavailable here: " << why);
        CHECK_FALSE(why.empty());
    }
}

TEST_CASE("openCapturer picks dxgi or gdi, and says which") {
    CaptureVariable unset(nullptr);
    Result<std::unique_ptr<ScreenCapturer>, BackendError> capturer = Failure{BackendError::SystemError};
    const std::string log = stderrOf([&] { capturer = openCapturer({}); });
    MESSAGE("log: " << log);
    REQUIRE(capturer);
    const std::string_view path = (*capturer)->name();
    CHECK((path == "gdi" || path == "dxgi"));
    CHECK(log.find("capture: " + std::string(path)) != std::string::npos);
    if (path == "gdi") CHECK(log.find("dxgi unavailable: ") != std::string::npos);
    checkWholeDesktop(**capturer);
    if (path == "gdi") {  // a system without Desktop Duplication is not asked again
        capturer = Failure{BackendError::SystemError};
        const std::string again = stderrOf([&] { capturer = openCapturer({}); });
        REQUIRE(capturer);
        CHECK((*capturer)->name() == "gdi");
        if (log.find("E_NOTIMPL") != std::string::npos) CHECK(again.find(", not retried)") != std::string::npos);
    }
}

TEST_CASE("GURU_CAPTURE=gdi gives gdi") {
    CaptureVariable gdi("gdi");
    Result<std::unique_ptr<ScreenCapturer>, BackendError> capturer = Failure{BackendError::SystemError};
    const std::string log = stderrOf([&] { capturer = openCapturer({}); });
    REQUIRE(capturer);
    CHECK((*capturer)->name() == "gdi");
    CHECK(log.find("capture: gdi (GURU_CAPTURE=gdi)") != std::string::npos);
}

TEST_CASE("GURU_CAPTURE=dxgi gives dxgi or a clean error, never gdi") {
    CaptureVariable dxgi("dxgi");
    Result<std::unique_ptr<ScreenCapturer>, BackendError> capturer = Failure{BackendError::SystemError};
    const std::string log = stderrOf([&] { capturer = openCapturer({}); });
    MESSAGE("log: " << log);
    if (capturer) {
        CHECK((*capturer)->name() == "dxgi");
        checkWholeDesktop(**capturer);
    } else {
        CHECK(capturer.error() == BackendError::MissingExtension);
        CHECK(log.find("capture: dxgi unavailable: ") != std::string::npos);
        CHECK(log.find("no gdi fallback") != std::string::npos);
    }
}

TEST_CASE("an unknown GURU_CAPTURE is ignored, with a log line") {
    CaptureVariable unknown("vnc");
    Result<std::unique_ptr<ScreenCapturer>, BackendError> capturer = Failure{BackendError::SystemError};
    const std::string log = stderrOf([&] { capturer = openCapturer({}); });
    REQUIRE(capturer);
    const std::string_view path = (*capturer)->name();
    CHECK((path == "gdi" || path == "dxgi"));
    CHECK(log.find("capture: ignoring GURU_CAPTURE=vnc (expected gdi or dxgi)") != std::string::npos);
}
