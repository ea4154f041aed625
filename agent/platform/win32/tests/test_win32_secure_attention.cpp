// Ctrl+Alt+Del on Windows under Wine: the agent is not LocalSystem there (Wine runs it as
// the desktop user), so the chord is reported unavailable and refused without typing Delete.
#include <doctest/doctest.h>

#include "platform/win32/sendinput_injector.h"

using namespace guru;
using namespace guru::platform;

TEST_CASE("a process of the desktop user is not LocalSystem: SendSAS is unavailable") {
    CHECK_FALSE(win32::processRunsAsLocalSystem());
    win32::SendInputInjector injector;
    CHECK(injector.secureAttention() == SecureAttention::Unavailable);
}

TEST_CASE("unavailable: the chord's Delete is refused, its release swallowed, the rest typed") {
    win32::SendInputInjector injector;
    const std::uint8_t ctrlAlt = inner::Control | inner::Alt;
    CHECK(injector.key({true, 0, "ControlLeft", "Control"}).ok());
    CHECK(injector.key({true, inner::Control, "AltLeft", "Alt"}).ok());
    auto chord = injector.key({true, ctrlAlt, "Delete", "Delete"});
    REQUIRE_FALSE(chord.ok());
    CHECK(chord.error() == InputError::Unsupported);
    // Delete never went down, so it is not held: the key state says so too.
    CHECK((GetAsyncKeyState(VK_DELETE) & 0x8000) == 0);
    CHECK(injector.key({false, ctrlAlt, "Delete", "Delete"}).ok());
    CHECK(injector.key({false, inner::Control, "AltLeft", "Alt"}).ok());
    CHECK(injector.key({false, 0, "ControlLeft", "Control"}).ok());
    // Delete on its own is an ordinary key.
    CHECK(injector.key({true, 0, "Delete", "Delete"}).ok());
    CHECK(injector.key({false, 0, "Delete", "Delete"}).ok());
}
