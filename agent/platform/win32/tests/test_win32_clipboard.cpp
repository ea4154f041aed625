// The Windows clipboard backend on a live desktop (real Windows or Wine): text both ways with
// CR LF line breaks for Windows programs, local copies seen once, the agent's own writes
// not reported back; and the system description.
#include <doctest/doctest.h>
#include <windows.h>

#include <cstring>
#include <string>

#include "platform/platform.h"
#include "platform/win32/win32_text.h"

using namespace guru;
using namespace guru::platform;
using guru::platform::win32::fromWindowsLineBreaks;
using guru::platform::win32::toWindowsLineBreaks;

TEST_CASE("clipboard text round trip, system info") {
    auto backend = openBackend({});
    REQUIRE(backend);
    const std::string text = "h\xC3\xA9llo \xE2\x82\xAC line\ntwo\r\nthree";
    REQUIRE(backend->clipboard->writeText(text));
    {  // Windows programs get CR LF line breaks
        REQUIRE(OpenClipboard(nullptr));
        HANDLE data = GetClipboardData(CF_UNICODETEXT);
        REQUIRE(data);
        CHECK(std::wstring(static_cast<const wchar_t*>(GlobalLock(data))) == L"h\u00E9llo \u20AC line\r\ntwo\r\nthree");
        GlobalUnlock(data);
        CloseClipboard();
    }
    auto back = backend->clipboard->readText();
    REQUIRE(back);
    CHECK(*back == "h\xC3\xA9llo \xE2\x82\xAC line\ntwo\nthree");  // and the viewer LF
    CHECK(toWindowsLineBreaks(L"a\rb\nc\r\n") == L"a\r\nb\r\nc\r\n");
    CHECK(fromWindowsLineBreaks("a\r\nb\rc\n") == "a\nb\rc\n");
    CHECK_FALSE(backend->clipboard->takeLocalChange());  // our own write is not a local change

    // Another program copies: one change, reported once.
    const wchar_t other[] = L"copied by another program \u00FC";
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, sizeof other);
    REQUIRE(memory);
    std::memcpy(GlobalLock(memory), other, sizeof other);
    GlobalUnlock(memory);
    HWND otherOwner = CreateWindowExW(0, L"STATIC", L"another program", 0, 0, 0, 0, 0, HWND_MESSAGE, nullptr,
                                      GetModuleHandleW(nullptr), nullptr);
    REQUIRE(otherOwner);
    REQUIRE(OpenClipboard(otherOwner));  // with no owner SetClipboardData would fail
    REQUIRE(EmptyClipboard());
    REQUIRE(SetClipboardData(CF_UNICODETEXT, memory));
    REQUIRE(CloseClipboard());
    auto change = backend->clipboard->takeLocalChange();
    REQUIRE(change);
    CHECK(*change == "copied by another program \xC3\xBC");
    CHECK_FALSE(backend->clipboard->takeLocalChange());
    DestroyWindow(otherOwner);

    const SystemDescription d = backend->system->describe();
    CHECK(d.osName == "Windows");
    CHECK(!d.osVersion.empty());
    CHECK(d.architecture == "x86_64");
    CHECK(!d.hostname.empty());
    CHECK(!d.userName.empty());
}
