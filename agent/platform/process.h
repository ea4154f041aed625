// Process-level OS services the agent's main needs (POSIX signals now, console control
// handlers on Windows later).
#pragma once

namespace guru::platform {

/// Blocks SIGINT/SIGTERM (and ignores SIGPIPE) in the calling thread and every thread it
/// starts afterwards, so that only waitForTermination() sees them. Call before any thread.
void blockTerminationSignals();

/// Waits until the process is asked to stop; returns the reason ("SIGINT", "SIGTERM").
const char* waitForTermination();

}  // namespace guru::platform
