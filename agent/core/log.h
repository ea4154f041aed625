// Where the core reports state changes (main sends them to stderr; tests collect them).
#pragma once

#include <functional>
#include <string>

namespace guru {

/// Receives one human-readable line; must be callable from any thread.
using LogSink = std::function<void(const std::string&)>;

}  // namespace guru
