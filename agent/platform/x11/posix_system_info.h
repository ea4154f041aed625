// SystemInfo from POSIX calls (uname, gethostname, getpwuid); shared by Unix backends.
#pragma once

#include "platform/platform.h"

namespace guru::platform::x11 {

/// Describes this machine via uname(2) and the password database.
class PosixSystemInfo final : public SystemInfo {
public:
    SystemDescription describe() override;
};

}  // namespace guru::platform::x11
