// The System log's Critical and Error events through wevtapi.dll, loaded at run time: a
// Windows without it (or Wine's stubs) makes the section fail with a reason, never the agent.
#include <windows.h>
#include <winevt.h>

#include <memory>
#include <vector>

#include "platform/win32/win32_snapshot_parts.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {
namespace {

struct FreeLibraryOnExit {
    void operator()(HMODULE m) const { FreeLibrary(m); }
};

/// The wevtapi calls used, resolved by name.
struct EventApi {
    std::unique_ptr<std::remove_pointer_t<HMODULE>, FreeLibraryOnExit> library;
    decltype(&EvtQuery) query = nullptr;
    decltype(&EvtNext) next = nullptr;
    decltype(&EvtClose) close = nullptr;
    decltype(&EvtCreateRenderContext) context = nullptr;
    decltype(&EvtRender) render = nullptr;
    decltype(&EvtOpenPublisherMetadata) publisher = nullptr;
    decltype(&EvtFormatMessage) format = nullptr;

    template <typename F>
    bool resolve(F& f, const char* name) {
        f = reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(library.get(), name)));
        return f != nullptr;
    }
};

/// Closes an EVT_HANDLE with the loaded EvtClose.
class EventHandle {
public:
    EventHandle(const EventApi& api, EVT_HANDLE h) : api_(api), h_(h) {}
    ~EventHandle() {
        if (h_) api_.close(h_);
    }
    EventHandle(const EventHandle&) = delete;
    EventHandle& operator=(const EventHandle&) = delete;
    EVT_HANDLE get() const { return h_; }

private:
    const EventApi& api_;
    EVT_HANDLE h_;
};

std::string failed(const char* what) { return std::string(what) + " failed (error " + std::to_string(GetLastError()) + ")"; }

/// The event's message as its publisher words it, or empty.
std::string message(const EventApi& api, EVT_HANDLE event, const std::wstring& provider) {
    EventHandle meta(api, api.publisher(nullptr, provider.c_str(), nullptr, 0, 0));
    if (!meta.get()) return {};
    DWORD used = 0;
    api.format(meta.get(), event, 0, 0, nullptr, EvtFormatMessageEvent, 0, nullptr, &used);
    if (used == 0 || used > 64 * 1024) return {};
    std::vector<wchar_t> text(used);
    if (!api.format(meta.get(), event, 0, 0, nullptr, EvtFormatMessageEvent, used, text.data(), &used)) return {};
    return narrow(text.data());
}

}  // namespace

Section<std::vector<LogEntry>> systemLogErrors(std::size_t limit) {
    EventApi api;
    api.library.reset(LoadLibraryExW(L"wevtapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32));
    if (!api.library) return Failure{SectionError{"the system log cannot be read: " + failed("loading wevtapi.dll")}};
    if (!api.resolve(api.query, "EvtQuery") || !api.resolve(api.next, "EvtNext") || !api.resolve(api.close, "EvtClose") ||
        !api.resolve(api.context, "EvtCreateRenderContext") || !api.resolve(api.render, "EvtRender") ||
        !api.resolve(api.publisher, "EvtOpenPublisherMetadata") || !api.resolve(api.format, "EvtFormatMessage"))
        return Failure{SectionError{"the system log cannot be read: wevtapi.dll lacks the Evt* calls"}};
    EventHandle results(api, api.query(nullptr, L"System", L"*[System[(Level=1 or Level=2)]]",
                                       EvtQueryChannelPath | EvtQueryReverseDirection));
    if (!results.get()) return Failure{SectionError{"the system log cannot be read: " + failed("EvtQuery")}};
    EventHandle context(api, api.context(0, nullptr, EvtRenderContextSystem));
    if (!context.get()) return Failure{SectionError{"the system log cannot be read: " + failed("EvtCreateRenderContext")}};
    std::vector<LogEntry> out;
    while (out.size() < limit) {
        EVT_HANDLE batch[16];
        DWORD got = 0;
        if (!api.next(results.get(), 16, batch, 2000, 0, &got) || got == 0) break;  // ERROR_NO_MORE_ITEMS
        for (DWORD i = 0; i < got; ++i) {
            EventHandle event(api, batch[i]);
            if (out.size() >= limit) continue;
            alignas(8) std::byte values[8192];
            DWORD used = 0, count = 0;
            if (!api.render(context.get(), event.get(), EvtRenderEventValues, sizeof values, values, &used, &count) ||
                count <= EvtSystemTimeCreated)
                continue;
            const auto* v = reinterpret_cast<const EVT_VARIANT*>(values);
            const std::wstring provider =
                v[EvtSystemProviderName].Type == EvtVarTypeString && v[EvtSystemProviderName].StringVal
                    ? v[EvtSystemProviderName].StringVal : L"";
            // FILETIME: 100 ns since 1601-01-01.
            const std::uint64_t filetime = v[EvtSystemTimeCreated].Type == EvtVarTypeFileTime ? v[EvtSystemTimeCreated].FileTimeVal : 0;
            const auto sinceEpoch = std::chrono::microseconds((filetime - 116444736000000000ull) / 10);
            LogEntry e{std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(sinceEpoch)),
                       narrow(provider), message(api, event.get(), provider)};
            if (e.message.empty()) {
                const unsigned id = v[EvtSystemEventID].Type == EvtVarTypeUInt16 ? v[EvtSystemEventID].UInt16Val : 0;
                e.message = "event " + std::to_string(id) + " (the publisher's message text is not installed)";
            }
            out.push_back(std::move(e));
        }
    }
    return out;
}

}  // namespace guru::platform::win32
