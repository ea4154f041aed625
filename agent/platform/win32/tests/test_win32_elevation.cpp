// TokenElevation under Wine (win32_elevation.h), and the injector that tells each viewer
// (SessionInfo's elevated flag). Wine 8 gives a program started by `wine` an administrator's
// token; the test holds whatever it sees to the token's own two answers agreeing.
#include <doctest/doctest.h>

#include "platform/win32/sendinput_injector.h"
#include "platform/win32/win32_elevation.h"

using namespace guru::platform;

TEST_CASE("TokenElevation is readable and agrees with TokenElevationType") {
    const auto elevated = win32::processIsElevated();
    REQUIRE(elevated.has_value());
    const auto type = win32::processElevationType();
    REQUIRE(type.has_value());
    MESSAGE("TokenIsElevated=" << *elevated << " TokenElevationType=" << static_cast<int>(*type));
    // The two halves of a split administrator token say which half this is.
    if (*type == TokenElevationTypeFull) CHECK(*elevated);
    if (*type == TokenElevationTypeLimited) CHECK_FALSE(*elevated);
    CHECK((*type == TokenElevationTypeDefault || *type == TokenElevationTypeFull ||
           *type == TokenElevationTypeLimited));
}

TEST_CASE("the injector reports the process's elevation, read once at construction") {
    const auto elevated = win32::processIsElevated();
    REQUIRE(elevated.has_value());
    win32::SendInputInjector injector;
    CHECK(injector.elevated() == *elevated);
}
