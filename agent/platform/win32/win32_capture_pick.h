// Which Windows capture path a session uses: DXGI Desktop Duplication when it works, GDI
// otherwise, or the one GURU_CAPTURE names. The words of the one log line it writes are
// pure functions here, so tests check them without a desktop.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// What the environment variable GURU_CAPTURE asks for: unset or empty is Auto (DXGI, else
/// GDI); "gdi" or "dxgi" (any case) force that path; anything else is Unknown (ignored).
enum class CapturePreference : std::uint8_t { Auto, Gdi, Dxgi, Unknown };

/// Parses GURU_CAPTURE's value (nullopt: not set).
CapturePreference parseCapturePreference(std::optional<std::string_view> value);

/// The log line for an ignored GURU_CAPTURE value; the value is cut to 32 characters and
/// anything but printable ASCII shown as '?'.
std::string ignoredPreferenceLine(std::string_view value);

/// The log line for the path picked: `picked` is "dxgi" or "gdi"; `dxgiFailure` says why
/// DXGI was not used (empty if it was not tried or worked).
std::string pickedLine(std::string_view picked, CapturePreference preference,
                       std::string_view dxgiFailure);

/// The log line when GURU_CAPTURE=dxgi and DXGI cannot open: no silent GDI then.
std::string forcedDxgiFailedLine(std::string_view dxgiFailure);

/// Opens the capturer GURU_CAPTURE asks for, else DXGI with GDI as the fallback, and logs
/// one line (stderr) saying which and why. A forced path that fails is an error.
Result<std::unique_ptr<ScreenCapturer>, BackendError> openPreferredCapturer();

}  // namespace guru::platform::win32
