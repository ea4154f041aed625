// The X11 backend's factory: the one place that assembles the X11 implementations.
#include "platform/platform.h"
#include "platform/x11/posix_system_info.h"
#include "platform/x11/x11_clipboard.h"
#include "platform/x11/x11_input_injector.h"
#include "platform/x11/x11_screen_capturer.h"
#include "platform/x11/x11_user_prompt.h"

namespace guru::platform {

Result<std::unique_ptr<ScreenCapturer>, BackendError> openCapturer(const BackendOptions& options) {
    auto capturer = x11::X11ScreenCapturer::open(options.display);
    if (!capturer) return Failure{capturer.error()};
    return std::unique_ptr<ScreenCapturer>(std::move(*capturer));
}

Result<Backend, BackendError> openBackend(const BackendOptions& options) {
    auto input = x11::X11InputInjector::open(options.display);
    if (!input) return Failure{input.error()};
    Backend backend;
    backend.input = std::move(*input);
    // Without a clipboard the session still runs; viewers' clipboard text is then dropped.
    if (auto clipboard = x11::X11Clipboard::open(options.display)) backend.clipboard = std::move(*clipboard);
    backend.prompt = std::make_unique<x11::X11UserPrompt>(options.display);
    backend.system = std::make_unique<x11::PosixSystemInfo>();
    return backend;
}

}  // namespace guru::platform
