// DXGI Desktop Duplication: AcquireNextFrame → CopyResource into a staging texture →
// ReleaseFrame → Map → the changed rectangles to the sink.
#include "platform/win32/dxgi_screen_capturer.h"

#include <algorithm>

#include "platform/win32/dxgi_regions.h"
#include "platform/win32/win32_monitors.h"

namespace guru::platform::win32 {

namespace {

using Clock = std::chrono::steady_clock;
using CreateFactoryFn = HRESULT(WINAPI*)(REFIID, void**);

// With several monitors the first one's AcquireNextFrame waits at most this long per round
// (the others do not wait), so a change on any monitor is seen within a few milliseconds.
constexpr UINT kSliceMs = 8;
// More changed rectangles than this on one monitor are sent as their bounding box.
constexpr std::size_t kMaxRegionsPerOutput = 64;

Rect virtualScreen() {
    return {GetSystemMetrics(SM_XVIRTUALSCREEN), GetSystemMetrics(SM_YVIRTUALSCREEN),
            GetSystemMetrics(SM_CXVIRTUALSCREEN), GetSystemMetrics(SM_CYVIRTUALSCREEN)};
}

// Milliseconds left until `deadline`, at most `cap`.
UINT waitMs(Clock::time_point deadline, UINT cap) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return 0;
    return static_cast<UINT>(std::min<long long>(left.count(), cap));
}

template <typename Fn>
Fn procAddress(HMODULE module, const char* name) {
    return reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

// From System32 only: the attended-support .exe runs from Downloads, where a planted
// dxgi.dll would otherwise be found first. (Windows 7 needs KB2533623 for this flag; without
// it the load fails and GDI is used.)
UniqueModule loadSystemDll(const wchar_t* name) {
    return UniqueModule(LoadLibraryExW(name, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32));
}

HRESULT lastErrorAsHresult() {
    const DWORD error = GetLastError();
    return error == 0 ? E_FAIL : HRESULT_FROM_WIN32(error);
}

Rect wholeOf(const Rect& output) { return {0, 0, output.width, output.height}; }

/// Releases the acquired frame on every path: a duplication holds one frame at a time.
class HeldFrame {
public:
    explicit HeldFrame(IDXGIOutputDuplication& duplication) : duplication_(duplication) {}
    ~HeldFrame() { duplication_.ReleaseFrame(); }
    HeldFrame(const HeldFrame&) = delete;
    HeldFrame& operator=(const HeldFrame&) = delete;

private:
    IDXGIOutputDuplication& duplication_;
};

/// A staging texture mapped for reading; unmapped on destruction.
class MappedTexture {
public:
    MappedTexture(ID3D11DeviceContext& context, ID3D11Texture2D& texture)
        : context_(context), texture_(texture) {
        result_ = context_.Map(&texture_, 0, D3D11_MAP_READ, 0, &mapped_);
    }
    ~MappedTexture() {
        if (SUCCEEDED(result_)) context_.Unmap(&texture_, 0);
    }
    MappedTexture(const MappedTexture&) = delete;
    MappedTexture& operator=(const MappedTexture&) = delete;
    HRESULT result() const { return result_; }
    ImageView view(int width, int height) const {
        return {static_cast<const std::byte*>(mapped_.pData), width, height, mapped_.RowPitch};
    }

private:
    ID3D11DeviceContext& context_;
    ID3D11Texture2D& texture_;
    D3D11_MAPPED_SUBRESOURCE mapped_{};
    HRESULT result_ = E_FAIL;
};

}  // namespace

Result<std::unique_ptr<DxgiScreenCapturer>, DxgiUnavailable> DxgiScreenCapturer::open() {
    const Rect screen = virtualScreen();
    if (screen.empty()) return Failure{DxgiUnavailable{DxgiStep::NoDesktop}};
    std::unique_ptr<DxgiScreenCapturer> self(new DxgiScreenCapturer());
    self->originX_ = screen.x;
    self->originY_ = screen.y;
    self->width_ = screen.width;
    self->height_ = screen.height;

    self->dxgiDll_ = loadSystemDll(L"dxgi.dll");
    auto createFactory = self->dxgiDll_
        ? procAddress<CreateFactoryFn>(self->dxgiDll_.get(), "CreateDXGIFactory1") : nullptr;
    if (!createFactory) return Failure{DxgiUnavailable{DxgiStep::LoadDxgi, lastErrorAsHresult()}};
    self->d3d11Dll_ = loadSystemDll(L"d3d11.dll");
    auto createDevice = self->d3d11Dll_
        ? procAddress<PFN_D3D11_CREATE_DEVICE>(self->d3d11Dll_.get(), "D3D11CreateDevice") : nullptr;
    if (!createDevice) return Failure{DxgiUnavailable{DxgiStep::LoadD3d11, lastErrorAsHresult()}};

    ComRef<IDXGIFactory1> factory;
    const HRESULT hr = createFactory(__uuidof(IDXGIFactory1), reinterpret_cast<void**>(factory.put()));
    if (FAILED(hr) || !factory) return Failure{DxgiUnavailable{DxgiStep::CreateFactory, hr}};
    for (UINT i = 0;; ++i) {
        ComRef<IDXGIAdapter1> adapter;
        if (FAILED(factory->EnumAdapters1(i, adapter.put())) || !adapter) break;  // NOT_FOUND: done
        auto added = self->addAdapter(*adapter.get(), createDevice);
        if (!added) return Failure{added.error()};
    }
    // Every monitor must be duplicated, or part of the desktop would never update.
    const int monitorCount = GetSystemMetrics(SM_CMONITORS);
    if (self->outputs_.empty() || static_cast<int>(self->outputs_.size()) != monitorCount) {
        return Failure{DxgiUnavailable{DxgiStep::MissingOutputs}};
    }
    std::vector<Rect> placed;
    for (const DuplicatedOutput& o : self->outputs_) placed.push_back(o.onDesktop);
    self->gaps_ = uncoveredRects(self->bounds(), placed);
    self->blackRow_.assign(static_cast<std::size_t>(screen.width) * kBytesPerPixel, std::byte{0});
    return self;
}

Outcome<DxgiUnavailable> DxgiScreenCapturer::addAdapter(IDXGIAdapter1& adapter,
                                                         PFN_D3D11_CREATE_DEVICE createDevice) {
    std::vector<ComRef<IDXGIOutput1>> attached;
    std::vector<Rect> placed;
    for (UINT j = 0;; ++j) {
        ComRef<IDXGIOutput> output;
        if (FAILED(adapter.EnumOutputs(j, output.put())) || !output) break;
        DXGI_OUTPUT_DESC desc{};
        if (FAILED(output->GetDesc(&desc)) || !desc.AttachedToDesktop) continue;
        if (desc.Rotation != DXGI_MODE_ROTATION_IDENTITY &&
            desc.Rotation != DXGI_MODE_ROTATION_UNSPECIFIED) {
            return Failure{DxgiUnavailable{DxgiStep::RotatedOutput}};
        }
        const RECT& c = desc.DesktopCoordinates;
        const auto r = rectFromEdges(c.left, c.top, c.right, c.bottom);
        if (!r) return Failure{DxgiUnavailable{DxgiStep::MissingOutputs}};
        const Rect onDesktop{r->x - originX_, r->y - originY_, r->width, r->height};
        if (onDesktop.intersect(bounds()) != onDesktop) {
            return Failure{DxgiUnavailable{DxgiStep::MissingOutputs}};
        }
        ComRef<IDXGIOutput1> output1;
        const HRESULT hr =
            output->QueryInterface(__uuidof(IDXGIOutput1), reinterpret_cast<void**>(output1.put()));
        if (FAILED(hr) || !output1) return Failure{DxgiUnavailable{DxgiStep::QueryOutput1, hr}};
        attached.push_back(std::move(output1));
        placed.push_back(onDesktop);
    }
    if (attached.empty()) return Unit{};  // e.g. the Basic Render Driver: no monitors

    AdapterDevice device;
    HRESULT hr = createDevice(&adapter, D3D_DRIVER_TYPE_UNKNOWN, nullptr, 0, nullptr, 0,
                              D3D11_SDK_VERSION, device.device.put(), nullptr, device.context.put());
    if (FAILED(hr) || !device.device || !device.context) {
        return Failure{DxgiUnavailable{DxgiStep::CreateDevice, hr}};
    }
    devices_.push_back(std::move(device));
    ID3D11Device& d3d = *devices_.back().device.get();
    for (std::size_t k = 0; k < attached.size(); ++k) {
        DuplicatedOutput out;
        out.adapter = devices_.size() - 1;
        out.onDesktop = placed[k];
        hr = attached[k]->DuplicateOutput(&d3d, out.duplication.put());
        if (FAILED(hr) || !out.duplication) {
            return Failure{DxgiUnavailable{DxgiStep::DuplicateOutput, hr}};
        }
        // Frames not the monitor's size (a scaled or rotated mode) would never fit: GDI.
        DXGI_OUTDUPL_DESC duplicated{};
        out.duplication->GetDesc(&duplicated);
        if (static_cast<int>(duplicated.ModeDesc.Width) != out.onDesktop.width ||
            static_cast<int>(duplicated.ModeDesc.Height) != out.onDesktop.height) {
            return Failure{DxgiUnavailable{DxgiStep::MissingOutputs}};
        }
        D3D11_TEXTURE2D_DESC staging{};
        staging.Width = static_cast<UINT>(out.onDesktop.width);
        staging.Height = static_cast<UINT>(out.onDesktop.height);
        staging.MipLevels = 1;
        staging.ArraySize = 1;
        staging.Format = DXGI_FORMAT_B8G8R8A8_UNORM;  // what DuplicateOutput always delivers
        staging.SampleDesc.Count = 1;
        staging.Usage = D3D11_USAGE_STAGING;
        staging.CPUAccessFlags = D3D11_CPU_ACCESS_READ;
        hr = d3d.CreateTexture2D(&staging, nullptr, out.staging.put());
        if (FAILED(hr) || !out.staging) return Failure{DxgiUnavailable{DxgiStep::CreateStaging, hr}};
        outputs_.push_back(std::move(out));
    }
    return Unit{};
}

DxgiScreenCapturer::~DxgiScreenCapturer() = default;

std::vector<inner::Monitor> DxgiScreenCapturer::monitors() {
    return enumerateMonitors(originX_, originY_);
}

void DxgiScreenCapturer::invalidate() {
    first_ = true;
    cursor_.reset();
}

bool DxgiScreenCapturer::geometryChanged() const {
    return virtualScreen() != Rect{originX_, originY_, width_, height_};
}

CaptureStatus DxgiScreenCapturer::poll(DuplicatedOutput& output, UINT waitMs,
                                       std::vector<Rect>& changed) {
    DXGI_OUTDUPL_FRAME_INFO info{};
    ComRef<IDXGIResource> resource;
    const CaptureStatus acquired = captureStatusForAcquire(
        output.duplication->AcquireNextFrame(waitMs, &info, resource.put()));
    if (acquired != CaptureStatus::Ok) return acquired;
    HeldFrame frame(*output.duplication.get());
    // A zero present time: only the pointer moved, the image is the same.
    if (info.LastPresentTime.QuadPart == 0) return CaptureStatus::Timeout;
    if (!resource) return CaptureStatus::Error;
    ComRef<ID3D11Texture2D> texture;
    if (FAILED(resource->QueryInterface(__uuidof(ID3D11Texture2D),
                                        reinterpret_cast<void**>(texture.put()))) || !texture) {
        return CaptureStatus::Error;
    }
    D3D11_TEXTURE2D_DESC desc{};
    texture->GetDesc(&desc);
    if (static_cast<int>(desc.Width) != output.onDesktop.width ||
        static_cast<int>(desc.Height) != output.onDesktop.height) {
        return CaptureStatus::Reinit;  // the mode changed under us
    }
    devices_[output.adapter].context->CopyResource(output.staging.get(), texture.get());
    frameRects(output, info.TotalMetadataBufferSize, changed);  // metadata dies with the frame
    output.hasImage = true;
    return CaptureStatus::Ok;
}

namespace {

// Fills `buffer` through one of the duplication's GetFrame*Rects calls, growing it once if
// DXGI asks for more; the number of entries filled, or nullopt if the call failed.
template <typename Entry, typename Get>
std::optional<std::size_t> readFrameMetadata(std::vector<Entry>& buffer, UINT hintBytes, Get get) {
    buffer.resize(hintBytes / sizeof(Entry) + 1);
    UINT required = 0;
    auto bytes = [&buffer] { return static_cast<UINT>(buffer.size() * sizeof(Entry)); };
    HRESULT hr = get(bytes(), buffer.data(), &required);
    if (hr == DXGI_ERROR_MORE_DATA) {
        buffer.resize(required / sizeof(Entry) + 1);
        hr = get(bytes(), buffer.data(), &required);
    }
    if (FAILED(hr)) return std::nullopt;
    return std::min<std::size_t>(required / sizeof(Entry), buffer.size());
}

}  // namespace

void DxgiScreenCapturer::frameRects(DuplicatedOutput& output, UINT metadataBytes,
                                    std::vector<Rect>& changed) {
    const Rect whole = wholeOf(output.onDesktop);
    IDXGIOutputDuplication& dup = *output.duplication.get();
    // Moved content counts as dirty where it landed; its source is reported dirty when
    // something new is drawn there.
    const auto moves = metadataBytes == 0 ? std::nullopt : readFrameMetadata(
        moveBuffer_, metadataBytes, [&dup](UINT size, DXGI_OUTDUPL_MOVE_RECT* to, UINT* needed) {
            return dup.GetFrameMoveRects(size, to, needed);
        });
    const auto dirty = metadataBytes == 0 ? std::nullopt : readFrameMetadata(
        dirtyBuffer_, metadataBytes, [&dup](UINT size, RECT* to, UINT* needed) {
            return dup.GetFrameDirtyRects(size, to, needed);
        });
    if (!moves || !dirty) {
        changed.push_back(whole);  // a new image without usable rectangles: take all of it
        return;
    }
    for (std::size_t i = 0; i < *moves; ++i) {
        const RECT& d = moveBuffer_[i].DestinationRect;
        if (auto r = rectFromEdges(d.left, d.top, d.right, d.bottom)) changed.push_back(*r);
    }
    for (std::size_t i = 0; i < *dirty; ++i) {
        const RECT& d = dirtyBuffer_[i];
        if (auto r = rectFromEdges(d.left, d.top, d.right, d.bottom)) changed.push_back(*r);
    }
}

CaptureStatus DxgiScreenCapturer::emit(DuplicatedOutput& output, std::span<const Rect> local,
                                       const RegionSink& sink) {
    MappedTexture mapped(*devices_[output.adapter].context.get(), *output.staging.get());
    if (FAILED(mapped.result())) {
        return captureStatusForAcquire(mapped.result()) == CaptureStatus::Reinit
            ? CaptureStatus::Reinit : CaptureStatus::Error;
    }
    const ImageView image = mapped.view(output.onDesktop.width, output.onDesktop.height);
    for (const OutputRegion& r : changedRegions(output.onDesktop, local, kMaxRegionsPerOutput)) {
        sink(r.desktop, image.sub(r.local));
    }
    return CaptureStatus::Ok;
}

CaptureStatus DxgiScreenCapturer::captureWhole(Clock::time_point deadline, const RegionSink& sink) {
    std::vector<Rect> unused;  // every monitor goes out whole anyway
    for (DuplicatedOutput& output : outputs_) {
        // Take a pending frame without waiting; wait only for a monitor never seen yet.
        do {
            const CaptureStatus s = poll(output, output.hasImage ? 0 : waitMs(deadline, INFINITE - 1), unused);
            if (s == CaptureStatus::Reinit || s == CaptureStatus::Error) return s;
            unused.clear();
        } while (!output.hasImage && Clock::now() < deadline);
        if (!output.hasImage) return CaptureStatus::Timeout;
    }
    for (DuplicatedOutput& output : outputs_) {
        const Rect whole = wholeOf(output.onDesktop);
        const CaptureStatus s = emit(output, std::span<const Rect>(&whole, 1), sink);
        if (s != CaptureStatus::Ok) return s;
    }
    // One zero row viewed with stride 0 is a black rectangle of any height.
    const ImageView black{blackRow_.data(), width_, height_, 0};
    for (const Rect& gap : gaps_) sink(gap, black.sub(gap));
    first_ = false;
    return CaptureStatus::Ok;
}

CaptureStatus DxgiScreenCapturer::capture(std::chrono::milliseconds timeout, const RegionSink& sink) {
    const auto deadline = Clock::now() + std::max(timeout, std::chrono::milliseconds(0));
    if (geometryChanged()) return CaptureStatus::Reinit;
    if (first_) return captureWhole(deadline, sink);
    std::vector<std::vector<Rect>> changed(outputs_.size());
    for (;;) {
        bool any = false;
        for (std::size_t i = 0; i < outputs_.size(); ++i) {
            const UINT cap = outputs_.size() == 1 ? INFINITE - 1 : kSliceMs;
            const CaptureStatus s = poll(outputs_[i], i == 0 ? waitMs(deadline, cap) : 0, changed[i]);
            if (s == CaptureStatus::Reinit || s == CaptureStatus::Error) return s;
            any = any || !changed[i].empty();
        }
        if (any) {
            for (std::size_t i = 0; i < outputs_.size(); ++i) {
                if (changed[i].empty()) continue;
                const CaptureStatus s = emit(outputs_[i], changed[i], sink);
                if (s != CaptureStatus::Ok) return s;
            }
            return CaptureStatus::Ok;
        }
        if (Clock::now() >= deadline) return CaptureStatus::Timeout;
        if (geometryChanged()) return CaptureStatus::Reinit;
    }
}

std::optional<inner::CursorImage> DxgiScreenCapturer::cursorShapeIfChanged() {
    return cursor_.shapeIfChanged();
}

std::optional<inner::CursorPosition> DxgiScreenCapturer::cursorPosition() { return cursorPositionFrom(originX_, originY_); }

}  // namespace guru::platform::win32
