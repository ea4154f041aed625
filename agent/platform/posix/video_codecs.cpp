// The video mode's codec on Linux: libvpx and libyuv opened with dlopen on first use, so the
// agent needs neither to run (docs: agent/README.md, "Video mode").
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

#include "platform/platform.h"

#ifdef GURU_VIDEO
#include "core/vp8_encoder.h"
#endif

namespace guru::platform {

#ifdef GURU_VIDEO
namespace {

void* openFirst(std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (void* handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)) return handle;
    }
    return nullptr;
}

template <typename F>
bool resolve(void* library, const char* symbol, F& out) {
    out = reinterpret_cast<F>(dlsym(library, symbol));
    return out != nullptr;
}

/// Loaded once, kept for the life of the process (the handles are never closed).
std::optional<VideoCodecApi> load() {
    if (const char* env = std::getenv("GURU_AGENT_VIDEO"); env && std::strcmp(env, "off") == 0) return std::nullopt;
    void* vpx = openFirst({"libvpx.so.7", "libvpx.so.8", "libvpx.so.9", "libvpx.so.6", "libvpx.so"});
    void* yuv = openFirst({"libyuv.so.0", "libyuv.so"});
    if (!vpx || !yuv) return std::nullopt;
    VideoCodecApi api{};
    const bool ok = resolve(vpx, "vpx_codec_vp8_cx", api.vp8Iface) &&
                    resolve(vpx, "vpx_codec_enc_config_default", api.configDefault) &&
                    resolve(vpx, "vpx_codec_enc_init_ver", api.init) &&
                    resolve(vpx, "vpx_codec_enc_config_set", api.configSet) &&
                    resolve(vpx, "vpx_codec_control_", api.control) &&
                    resolve(vpx, "vpx_codec_encode", api.encode) &&
                    resolve(vpx, "vpx_codec_get_cx_data", api.packets) &&
                    resolve(vpx, "vpx_codec_destroy", api.destroy) &&
                    resolve(yuv, "ARGBToI420", api.argbToI420);
    if (!ok) return std::nullopt;
    return api;
}

}  // namespace

VideoEncoderFactory videoEncoders() {
    static std::once_flag once;
    static std::optional<VideoCodecApi> api;
    std::call_once(once, [] { api = load(); });
    if (!api) return {};
    return [](int width, int height) { return Vp8Encoder::open(*api, width, height); };
}
#else
VideoEncoderFactory videoEncoders() { return {}; }
#endif

}  // namespace guru::platform
