// RAII owners for the Win32 and COM handles the backend uses, so no early return leaks.
#pragma once

#include <windows.h>

#include <memory>
#include <type_traits>

namespace guru::platform::win32 {

struct HandleClose {
    void operator()(HANDLE h) const {
        if (h && h != INVALID_HANDLE_VALUE) CloseHandle(h);
    }
};
/// A kernel object handle (event, thread, process).
using UniqueHandle = std::unique_ptr<std::remove_pointer_t<HANDLE>, HandleClose>;

struct GdiObjectDelete {
    void operator()(HGDIOBJ h) const {
        if (h) DeleteObject(h);
    }
};
/// A GDI bitmap.
using UniqueBitmap = std::unique_ptr<std::remove_pointer_t<HBITMAP>, GdiObjectDelete>;

struct DcDelete {
    void operator()(HDC dc) const {
        if (dc) DeleteDC(dc);
    }
};
/// A memory device context from CreateCompatibleDC.
using UniqueMemoryDc = std::unique_ptr<std::remove_pointer_t<HDC>, DcDelete>;

/// A window's (or the screen's) DC from GetDC, released with ReleaseDC.
class WindowDc {
public:
    explicit WindowDc(HWND window) : window_(window), dc_(GetDC(window)) {}
    ~WindowDc() {
        if (dc_) ReleaseDC(window_, dc_);
    }
    WindowDc(const WindowDc&) = delete;
    WindowDc& operator=(const WindowDc&) = delete;
    HDC get() const { return dc_; }

private:
    HWND window_;
    HDC dc_;
};

/// Owns one COM interface pointer (Release on destruction); a minimal ComPtr.
template <typename T>
class ComRef {
public:
    ComRef() = default;
    ~ComRef() { reset(); }
    ComRef(const ComRef&) = delete;
    ComRef& operator=(const ComRef&) = delete;
    ComRef(ComRef&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    T* get() const { return p_; }
    T* operator->() const { return p_; }
    explicit operator bool() const { return p_ != nullptr; }
    /// For out-parameters: releases what is held, then exposes the slot.
    T** put() {
        reset();
        return &p_;
    }
    void reset() {
        if (p_) p_->Release();
        p_ = nullptr;
    }

private:
    T* p_ = nullptr;
};

}  // namespace guru::platform::win32
