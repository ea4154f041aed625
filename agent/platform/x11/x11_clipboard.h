// Clipboard for X11. Selection ownership needs an event loop thread; until the session
// loop exists this backend reports Unsupported (see docs/protocol.md "Status").
#pragma once

#include "platform/platform.h"

namespace guru::platform::x11 {

/// Placeholder X11 clipboard: every call fails with ClipboardError::Unsupported.
class X11Clipboard final : public Clipboard {
public:
    Result<std::string, ClipboardError> readText() override {
        return Failure{ClipboardError::Unsupported};
    }
    Outcome<ClipboardError> writeText(const std::string&) override {
        return Failure{ClipboardError::Unsupported};
    }
};

}  // namespace guru::platform::x11
