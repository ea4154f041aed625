// Windows-only addition to platform/process.h's termination wait (console_termination.cpp).
#pragma once

#include <windows.h>

namespace guru::platform::win32 {

/// Makes waitForTermination() also return, with `reason`, once `event` is signalled: the
/// service's stop event in the session helper. The event must outlive the waits.
void addTerminationEvent(HANDLE event, const char* reason);

}  // namespace guru::platform::win32
