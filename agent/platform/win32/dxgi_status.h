// Why DXGI Desktop Duplication did not open, and what its HRESULTs mean for a capture;
// apart from the capturer so the log wording and the mapping are tested on their own.
#pragma once

#include <windows.h>
#include <dxgi.h>

#include <cstdint>
#include <string>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// The step at which setting up Desktop Duplication failed.
enum class DxgiStep : std::uint8_t {
    NoDesktop,          // the virtual screen has no size
    LoadDxgi,           // dxgi.dll or its CreateDXGIFactory1 missing
    LoadD3d11,          // d3d11.dll or its D3D11CreateDevice missing
    CreateFactory,      // CreateDXGIFactory1
    CreateDevice,       // D3D11CreateDevice on an adapter with monitors
    QueryOutput1,       // no IDXGIOutput1 (Windows 7 without the platform update)
    DuplicateOutput,    // IDXGIOutput1::DuplicateOutput
    RotatedOutput,      // a rotated monitor (its frames would need turning): left to GDI
    MissingOutputs,     // DXGI's outputs do not match the monitors Windows reports
    CreateStaging,      // the CPU-readable texture
};

/// Why Desktop Duplication is not available: the step and its HRESULT (S_OK if none).
struct DxgiUnavailable {
    DxgiStep step = DxgiStep::NoDesktop;
    HRESULT code = S_OK;
    /// For the capture log line, e.g. "DuplicateOutput E_NOTIMPL".
    std::string describe() const;
};

/// True when retrying cannot help in this process: the DLLs or interfaces are missing, or
/// the system does not implement Desktop Duplication (Windows 7, Wine: E_NOTIMPL,
/// DXGI_ERROR_UNSUPPORTED). A denied or busy duplication (secure desktop, too many
/// duplications) is worth trying again at the next session.
bool isPermanent(const DxgiUnavailable& why);

/// A symbolic name for the HRESULTs DXGI setup and capture return ("E_NOTIMPL",
/// "DXGI_ERROR_ACCESS_LOST"...), else "0x887a0001"-style hex.
std::string hresultName(HRESULT code);

/// What an AcquireNextFrame result means for the capture: Ok (a frame to release),
/// Timeout (nothing new), Reinit (access lost: desktop switch, mode change, device lost) or
/// Error.
CaptureStatus captureStatusForAcquire(HRESULT code);

}  // namespace guru::platform::win32
