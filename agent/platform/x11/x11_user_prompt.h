// Consent prompt for X11; a real dialog comes with the session loop.
#pragma once

#include "platform/platform.h"

namespace guru::platform::x11 {

/// Placeholder prompt: fails with PromptError::Unsupported, so the core applies policy.
class X11UserPrompt final : public UserPrompt {
public:
    Result<Consent, PromptError> askConsent(const std::string&, std::chrono::seconds) override {
        return Failure{PromptError::Unsupported};
    }
};

}  // namespace guru::platform::x11
