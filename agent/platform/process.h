// Process-level OS services the agent's main needs (POSIX signals now, console control
// handlers on Windows later).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace guru::platform {

/// Blocks SIGINT/SIGTERM (and ignores SIGPIPE) in the calling thread and every thread it
/// starts afterwards, so that only waitForTermination() sees them. Call before any thread.
void blockTerminationSignals();

/// Waits until the process is asked to stop; returns the reason ("SIGINT", "SIGTERM").
const char* waitForTermination();

/// Waits at most `timeout` for a stop request; the reason, or null if none came. Lets a
/// thread that also polls windows (support mode) sleep between polls.
const char* waitForTermination(std::chrono::milliseconds timeout);

/// The running executable's own path (Linux: /proc/self/exe), or nothing if unknown.
std::optional<std::string> ownExecutablePath();

/// The portal's name for this build's platform, as in `?platform=`: "linux" or "windows".
const char* portalPlatformName();

/// The support agent opened by a double click gets a console window of its own on Windows
/// (it is a console program, so that its log reaches a shell that starts it); this hides that
/// window. A console shared with a shell stays. True if a window was hidden; POSIX: false.
bool hideOwnConsoleWindow();

}  // namespace guru::platform
