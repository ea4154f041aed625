// Whether this process runs elevated (its token's TokenElevation), for SessionInfo's
// elevated flag and, later, the session window's "Run as administrator" offer.
#pragma once

#include <windows.h>

#include <optional>

namespace guru::platform::win32 {

/// True if the process token is elevated (an administrator's full token, or LocalSystem),
/// false if it is not; nothing if the token cannot be read.
std::optional<bool> processIsElevated();

/// The token's TokenElevationType (Default, Full or Limited), or nothing if unreadable.
/// Default means UAC does not split this account's token (UAC off, LocalSystem, or a
/// standard user); Full and Limited are the two halves of an administrator's split token.
std::optional<TOKEN_ELEVATION_TYPE> processElevationType();

}  // namespace guru::platform::win32
