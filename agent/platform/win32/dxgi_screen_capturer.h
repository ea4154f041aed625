// ScreenCapturer for Windows 8 and later by DXGI Desktop Duplication: one
// IDXGIOutputDuplication per monitor, and only the rectangles DXGI reports as dirty or moved.
// d3d11.dll and dxgi.dll are loaded at run time, so the .exe imports neither and still starts
// (with GDI instead) where they or DuplicateOutput are missing (Windows 7, Wine 8).
#pragma once

#include <windows.h>
#include <d3d11.h>
#include <dxgi1_2.h>

#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "platform/platform.h"
#include "platform/win32/dxgi_status.h"
#include "platform/win32/win32_cursor.h"
#include "platform/win32/win32_handles.h"

namespace guru::platform::win32 {

/// Frees a module loaded at run time (UniqueModule's deleter).
struct ModuleFree {
    void operator()(HMODULE m) const {
        if (m) FreeLibrary(m);
    }
};
/// A DLL loaded with LoadLibraryExW, freed with FreeLibrary.
using UniqueModule = std::unique_ptr<std::remove_pointer_t<HMODULE>, ModuleFree>;

/// Captures every monitor of the desktop through Desktop Duplication.
class DxgiScreenCapturer final : public ScreenCapturer {
public:
    static Result<std::unique_ptr<DxgiScreenCapturer>, DxgiUnavailable> open();
    ~DxgiScreenCapturer() override;

    std::string_view name() const override { return "dxgi"; }
    Rect bounds() const override { return {0, 0, width_, height_}; }
    std::vector<inner::Monitor> monitors() override;
    CaptureStatus capture(std::chrono::milliseconds timeout, const RegionSink& sink) override;
    void invalidate() override;
    std::optional<inner::CursorImage> cursorShapeIfChanged() override;
    std::optional<inner::CursorPosition> cursorPosition() override;

private:
    /// One adapter's device, shared by the outputs on it.
    struct AdapterDevice {
        ComRef<ID3D11Device> device;
        ComRef<ID3D11DeviceContext> context;
    };
    /// One duplicated monitor.
    struct DuplicatedOutput {
        std::size_t adapter = 0;  // index into devices_
        ComRef<IDXGIOutputDuplication> duplication;
        ComRef<ID3D11Texture2D> staging;  // CPU-readable copy of the last desktop image
        Rect onDesktop;
        bool hasImage = false;
    };

    DxgiScreenCapturer() = default;
    Outcome<DxgiUnavailable> addAdapter(IDXGIAdapter1& adapter, PFN_D3D11_CREATE_DEVICE createDevice);
    bool geometryChanged() const;
    /// Waits up to `waitMs` for a new frame of `output`; on one, copies it into the staging
    /// texture and appends its changed rectangles (output coordinates) to `changed`.
    CaptureStatus poll(DuplicatedOutput& output, UINT waitMs, std::vector<Rect>& changed);
    /// Appends the frame's move destinations and dirty rectangles (the whole output if DXGI
    /// gives none); the frame must still be held.
    void frameRects(DuplicatedOutput& output, UINT metadataBytes, std::vector<Rect>& changed);
    /// Hands `local` regions of the output's staging texture to `sink`; Ok unless Map failed.
    CaptureStatus emit(DuplicatedOutput& output, std::span<const Rect> local, const RegionSink& sink);
    /// The first capture (and the one after invalidate()): every monitor whole, gaps black.
    CaptureStatus captureWhole(std::chrono::steady_clock::time_point deadline,
                               const RegionSink& sink);

    // Declared first so the DLLs are freed after every COM object that lives in them.
    UniqueModule dxgiDll_, d3d11Dll_;
    std::vector<AdapterDevice> devices_;
    std::vector<DuplicatedOutput> outputs_;
    int originX_ = 0, originY_ = 0, width_ = 0, height_ = 0;
    std::vector<Rect> gaps_;            // desktop parts no monitor covers: sent black
    std::vector<std::byte> blackRow_;  // one row of zeros, viewed with stride 0
    std::vector<RECT> dirtyBuffer_;
    std::vector<DXGI_OUTDUPL_MOVE_RECT> moveBuffer_;
    bool first_ = true;
    CursorTracker cursor_;
};

}  // namespace guru::platform::win32
