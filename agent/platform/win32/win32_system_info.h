// SystemInfo for Windows.
#pragma once

#include "platform/platform.h"

namespace guru::platform::win32 {

/// Host name, Windows version (RtlGetVersion: GetVersionEx lies without a manifest),
/// user and architecture named like uname's machine field.
class Win32SystemInfo final : public SystemInfo {
public:
    SystemDescription describe() override;
};

}  // namespace guru::platform::win32
