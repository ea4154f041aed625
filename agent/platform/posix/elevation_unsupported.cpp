// "Run as administrator" is for the Windows agent (issue 18): a Linux support agent that
// needs root is started with sudo by the person at the machine, so nothing is offered here.
#include "platform/elevation.h"

namespace guru::platform {

bool canRelaunchElevated() { return false; }

Result<std::unique_ptr<ElevatedRelaunch>, ElevationError> startElevatedRelaunch(RelaunchRequest) {
    return Failure{ElevationError::Unsupported};
}

Result<std::unique_ptr<HandoverChannel>, ElevationError> openHandoverChannel(const std::string&) {
    return Failure{ElevationError::Unsupported};
}

}  // namespace guru::platform
