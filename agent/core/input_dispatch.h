// Applies a control-mode viewer's input messages to the platform's InputInjector.
#pragma once

#include "core/inner_message.h"
#include "platform/platform.h"

namespace guru {

/// What an inner message from a viewer turned out to be.
enum class InputKind : std::uint8_t { Input, NotInput };

/// If `message` is pointer, wheel or key input, injects it and returns Input (a failed
/// injection is dropped: one unknown key must not end the session).
InputKind applyInput(platform::InputInjector& injector, const inner::Message& message);

/// True for the messages that drive the remote machine (what view-only viewers may not send).
bool isInput(const inner::Message& message);

}  // namespace guru
