// HRESULT names and meanings for the DXGI capturer; see dxgi_status.h.
#include "platform/win32/dxgi_status.h"

#include <cstdio>

namespace guru::platform::win32 {

namespace {

const char* stepName(DxgiStep step) {
    switch (step) {
        case DxgiStep::NoDesktop: return "no desktop";
        case DxgiStep::LoadDxgi: return "dxgi.dll";
        case DxgiStep::LoadD3d11: return "d3d11.dll";
        case DxgiStep::CreateFactory: return "CreateDXGIFactory1";
        case DxgiStep::CreateDevice: return "D3D11CreateDevice";
        case DxgiStep::QueryOutput1: return "IDXGIOutput1";
        case DxgiStep::DuplicateOutput: return "DuplicateOutput";
        case DxgiStep::RotatedOutput: return "rotated monitor";
        case DxgiStep::MissingOutputs: return "outputs do not match the monitors";
        case DxgiStep::CreateStaging: return "CreateTexture2D";
    }
    return "unknown step";
}

}  // namespace

std::string hresultName(HRESULT code) {
    struct Known {
        HRESULT code;
        const char* name;
    };
    static const Known kKnown[] = {
        {S_OK, "S_OK"},
        {E_NOTIMPL, "E_NOTIMPL"},
        {E_NOINTERFACE, "E_NOINTERFACE"},
        {E_INVALIDARG, "E_INVALIDARG"},
        {E_ACCESSDENIED, "E_ACCESSDENIED"},
        {E_OUTOFMEMORY, "E_OUTOFMEMORY"},
        {E_FAIL, "E_FAIL"},
        {HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND), "ERROR_MOD_NOT_FOUND"},
        {HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND), "ERROR_PROC_NOT_FOUND"},
        {DXGI_ERROR_UNSUPPORTED, "DXGI_ERROR_UNSUPPORTED"},
        {DXGI_ERROR_NOT_CURRENTLY_AVAILABLE, "DXGI_ERROR_NOT_CURRENTLY_AVAILABLE"},
        {DXGI_ERROR_SESSION_DISCONNECTED, "DXGI_ERROR_SESSION_DISCONNECTED"},
        {DXGI_ERROR_ACCESS_LOST, "DXGI_ERROR_ACCESS_LOST"},
        {DXGI_ERROR_ACCESS_DENIED, "DXGI_ERROR_ACCESS_DENIED"},
        {DXGI_ERROR_WAIT_TIMEOUT, "DXGI_ERROR_WAIT_TIMEOUT"},
        {DXGI_ERROR_DEVICE_REMOVED, "DXGI_ERROR_DEVICE_REMOVED"},
        {DXGI_ERROR_DEVICE_RESET, "DXGI_ERROR_DEVICE_RESET"},
        {DXGI_ERROR_INVALID_CALL, "DXGI_ERROR_INVALID_CALL"},
        {DXGI_ERROR_NOT_FOUND, "DXGI_ERROR_NOT_FOUND"},
        {DXGI_ERROR_MORE_DATA, "DXGI_ERROR_MORE_DATA"},
    };
    for (const Known& k : kKnown) {
        if (k.code == code) return k.name;
    }
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08lx", static_cast<unsigned long>(code));
    return hex;
}

bool isPermanent(const DxgiUnavailable& why) {
    switch (why.step) {
    case DxgiStep::LoadDxgi:
    case DxgiStep::LoadD3d11:
    case DxgiStep::QueryOutput1:
        return true;
    case DxgiStep::DuplicateOutput:
        return why.code == E_NOTIMPL || why.code == DXGI_ERROR_UNSUPPORTED;
    default:
        return false;
    }
}

std::string DxgiUnavailable::describe() const {
    std::string text = stepName(step);
    if (code != S_OK) text += " " + hresultName(code);
    return text;
}

CaptureStatus captureStatusForAcquire(HRESULT code) {
    if (SUCCEEDED(code)) return CaptureStatus::Ok;
    switch (code) {
        case DXGI_ERROR_WAIT_TIMEOUT: return CaptureStatus::Timeout;
        // Access lost: a desktop switch (UAC, lock screen), a mode change or a full-screen
        // program; the device ones: a driver update or reset. A reopened capturer recovers,
        // or falls back to GDI if DXGI cannot.
        case DXGI_ERROR_ACCESS_LOST:
        case DXGI_ERROR_ACCESS_DENIED:
        case E_ACCESSDENIED:
        case DXGI_ERROR_SESSION_DISCONNECTED:
        case DXGI_ERROR_DEVICE_REMOVED:
        case DXGI_ERROR_DEVICE_RESET:
        case DXGI_ERROR_INVALID_CALL: return CaptureStatus::Reinit;
        default: return CaptureStatus::Error;
    }
}

}  // namespace guru::platform::win32
