// The agent's diagnostic commands (--self-test, --capture, --info, --idle, --capture-loop,
// --bench): each runs once, prints its result to stdout and returns the exit code.
#pragma once

#include "options.h"

namespace guru::cli {

/// --self-test: ECDH + E2E seal/open, an envelope round trip and one tile encoded.
int selfTest();

/// --capture FILE [--format jpeg|png|webp]: one desktop frame written to `o.output`.
int captureOnce(const Options& o);

/// --info: the system description and the monitors.
int info(const Options& o);

/// --idle [--seconds N]: an agent with no viewer holds no capturer, it only waits.
/// Used to measure idle RSS and CPU.
int idle(const Options& o);

/// --capture-loop [--seconds N]: the loop a session runs, minus the network: wait for
/// damage, diff, encode.
int captureLoop(const Options& o);

/// --bench [--frames N]: capture and JPEG/PNG/WebP ms per full frame, then one frame
/// through the session's 64x64 tile pipeline.
int bench(const Options& o);

}  // namespace guru::cli
