// WIC JPEG encoding into an HGLOBAL-backed IStream. A tile is small, so the encoder, frame and
// stream are per call; the factory is per thread (COM apartments are per thread).
#include "platform/win32/wic_encoder_support.h"

#include <objbase.h>
#include <ocidl.h>
#include <wincodec.h>

#include <cstring>
#include <vector>

#include "platform/win32/win32_handles.h"

namespace guru::platform::win32 {

namespace {

// The screen thread lives as long as the session; COM stays initialised on it until the
// thread ends (no CoUninitialize: the thread-local factory is released at thread exit).
IWICImagingFactory* threadFactory() {
    thread_local bool comReady = false;
    thread_local ComRef<IWICImagingFactory> factory;
    if (!comReady) {
        const HRESULT hr = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
        // RPC_E_CHANGED_MODE: the thread is already an STA, where WIC works as well.
        comReady = SUCCEEDED(hr) || hr == RPC_E_CHANGED_MODE;
        if (!comReady) return nullptr;
    }
    if (!factory) {
        CoCreateInstance(CLSID_WICImagingFactory, nullptr, CLSCTX_INPROC_SERVER,
                         IID_PPV_ARGS(factory.put()));
    }
    return factory.get();
}

void writeProperty(IPropertyBag2* bag, const wchar_t* name, VARIANT value) {
    PROPBAG2 option{};
    option.pstrName = const_cast<LPOLESTR>(name);
    bag->Write(1, &option, &value);  // unknown options are ignored by design
}

}  // namespace

Result<Bytes, EncodeError> encodeJpegWithWic(const ImageView& image, int quality) {
    if (!image.data || image.width <= 0 || image.height <= 0) {
        return Failure{EncodeError::InvalidImage};
    }
    IWICImagingFactory* factory = threadFactory();
    if (!factory) return Failure{EncodeError::LibraryFailure};

    ComRef<IStream> stream;
    if (FAILED(CreateStreamOnHGlobal(nullptr, TRUE, stream.put()))) {
        return Failure{EncodeError::LibraryFailure};
    }
    ComRef<IWICBitmapEncoder> encoder;
    if (FAILED(factory->CreateEncoder(GUID_ContainerFormatJpeg, nullptr, encoder.put())) ||
        FAILED(encoder->Initialize(stream.get(), WICBitmapEncoderNoCache))) {
        return Failure{EncodeError::LibraryFailure};
    }
    ComRef<IWICBitmapFrameEncode> frame;
    ComRef<IPropertyBag2> options;
    if (FAILED(encoder->CreateNewFrame(frame.put(), options.put()))) {
        return Failure{EncodeError::LibraryFailure};
    }
    if (options) {
        VARIANT level;
        VariantInit(&level);
        level.vt = VT_R4;
        level.fltVal = static_cast<float>(quality) / 100.0f;
        writeProperty(options.get(), L"ImageQuality", level);
        VARIANT subsampling;
        VariantInit(&subsampling);
        subsampling.vt = VT_UI1;
        subsampling.bVal = WICJpegYCrCbSubsampling420;
        writeProperty(options.get(), L"JpegYCrCbSubsampling", subsampling);
    }
    WICPixelFormatGUID pixelFormat = GUID_WICPixelFormat24bppBGR;
    if (FAILED(frame->Initialize(options.get())) ||
        FAILED(frame->SetSize(static_cast<UINT>(image.width), static_cast<UINT>(image.height))) ||
        FAILED(frame->SetPixelFormat(&pixelFormat)) ||
        !IsEqualGUID(pixelFormat, GUID_WICPixelFormat24bppBGR)) {
        return Failure{EncodeError::LibraryFailure};
    }
    // BGRX → packed BGR (the codec takes 24bppBGR natively; 32bppBGR would need a converter).
    const std::size_t stride = static_cast<std::size_t>(image.width) * 3;
    std::vector<BYTE> packed(stride * static_cast<std::size_t>(image.height));
    for (int y = 0; y < image.height; ++y) {
        const auto* src = reinterpret_cast<const BYTE*>(image.row(y));
        BYTE* dst = packed.data() + stride * static_cast<std::size_t>(y);
        for (int x = 0; x < image.width; ++x, src += 4, dst += 3) {
            dst[0] = src[0];
            dst[1] = src[1];
            dst[2] = src[2];
        }
    }
    if (FAILED(frame->WritePixels(static_cast<UINT>(image.height), static_cast<UINT>(stride),
                                  static_cast<UINT>(packed.size()), packed.data())) ||
        FAILED(frame->Commit()) || FAILED(encoder->Commit())) {
        return Failure{EncodeError::LibraryFailure};
    }
    STATSTG stat{};
    HGLOBAL memory = nullptr;
    if (FAILED(stream->Stat(&stat, STATFLAG_NONAME)) ||
        FAILED(GetHGlobalFromStream(stream.get(), &memory))) {
        return Failure{EncodeError::LibraryFailure};
    }
    const auto size = static_cast<std::size_t>(stat.cbSize.QuadPart);
    const void* locked = GlobalLock(memory);
    if (!locked) return Failure{EncodeError::LibraryFailure};
    const auto* begin = static_cast<const std::byte*>(locked);
    Bytes out(begin, begin + size);
    GlobalUnlock(memory);
    return out;
}

}  // namespace guru::platform::win32
