// guru-win32-bench.exe: per-frame cost of the Windows pipeline on the current desktop (under
// Wine or on Windows): a full GDI capture, then every 64x64 tile through the encode manager
// (PNG for few-colour tiles, WIC JPEG for photographic ones), as a new viewer's first frame.
// usage: guru-win32-bench.exe [FRAMES]   prints one key=value line
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core/encode_manager.h"
#include "core/tile_tracker.h"
#include "platform/platform.h"

using namespace guru;
using Clock = std::chrono::steady_clock;

namespace {
double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}
}  // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    auto capturer = platform::openCapturer({});
    if (!capturer) return std::puts("bench: no capturer"), 1;
    TileTracker desktop;
    const Rect bounds = (*capturer)->bounds();
    desktop.resize(bounds.width, bounds.height);
    EncodeManager manager;
    double capture = 0, encode = 0;
    std::size_t bytes = 0, tiles = 0;
    for (int i = 0; i < frames; ++i) {
        (*capturer)->invalidate();
        auto t = Clock::now();
        const auto status = (*capturer)->capture(std::chrono::seconds(2), [&](const Rect& at, const ImageView& v) {
            desktop.apply(at, v);
        });
        capture += msSince(t);
        if (status != platform::CaptureStatus::Ok) return std::puts("bench: capture failed"), 1;
        desktop.markAll();
        const auto changed = desktop.takeChanged();
        t = Clock::now();
        bytes = 0;
        for (const Rect& r : changed) {
            auto tile = manager.encodeTile(desktop.image(), r);
            if (!tile) return std::puts("bench: encoding failed"), 1;
            bytes += tile->data.size();
        }
        encode += msSince(t);
        tiles = changed.size();
    }
    std::printf("size=%dx%d frames=%d capture_ms=%.2f encode_ms=%.2f tiles=%zu frame_bytes=%zu\n",
                bounds.width, bounds.height, frames, capture / frames, encode / frames, tiles, bytes);
    return 0;
}
