// --session-helper: the process the service starts in the console session. It reads the
// installed configuration, ties the service's stop event to waitForTermination(), and then
// runs exactly what `run` runs (main's runner).
#include <windows.h>

#include <cstdint>

#include "platform/service.h"
#include "platform/win32/win32_termination.h"

namespace guru::platform::service {

Result<int, ServiceError> runSessionHelper(std::string_view stopEvent, const AgentRunner& runner) {
    const auto value = parseHandleValue(stopEvent);
    if (!value) return Failure{ServiceError::BadStopEvent};
    HANDLE event = reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(*value));
    // An inherited event handle: waitable (signalled or not). Anything else is refused
    // before it could make the helper wait on the wrong object forever.
    const DWORD state = WaitForSingleObject(event, 0);
    if (state != WAIT_OBJECT_0 && state != WAIT_TIMEOUT) return Failure{ServiceError::BadStopEvent};
    auto config = readInstalledConfig();
    if (!config) return Failure{config.error()};
    win32::addTerminationEvent(event, "service stop");
    return runner(*config);
}

}  // namespace guru::platform::service
