// "Run as administrator" for the one-time support agent, the OS half (issue 18, docs/support.md
// §4.3): relaunch this program elevated with the handover pipe's name on its command line, and
// carry the handover's messages (core/elevation_handover.h) over that pipe. The policy (when to
// offer it, what the offer holds, when the old process exits) is support_elevation.h.
// Windows: platform/win32/win32_elevated_relaunch.cpp (ShellExecuteExW "runas", a named pipe
// only this user and Administrators may open). Elsewhere: Unsupported, and nothing is offered.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::platform {

/// Why a relaunch or the child's end of the pipe could not start.
enum class ElevationError : std::uint8_t { Unsupported, SystemError };

/// Short stable name for an elevation error.
const char* name(ElevationError e);

/// How a relaunch ended.
enum class RelaunchEnd : std::uint8_t {
    Answered,  ///< the elevated child read the offer and answered: `answer` holds its bytes
    Declined,  ///< the person said No to the UAC prompt (ERROR_CANCELLED)
    Failed,    ///< anything else: `detail` says what (the child exited, no answer in time…)
};

/// What became of a relaunch.
struct RelaunchOutcome {
    RelaunchEnd end = RelaunchEnd::Failed;
    Bytes answer;        // Answered: the child's answer message, not yet checked
    std::string detail;  // Failed: the OS's or the step's words
};

/// What a relaunch needs.
struct RelaunchRequest {
    /// The handover pipe's name (handover::pipeName): the child gets `--elevated-handover NAME`.
    std::string pipeName;
    /// The program to start elevated; empty: this program (a test names a stand-in).
    std::string program;
    /// The child's other arguments (after the program's path), passed as they are.
    std::vector<std::string> arguments;
    /// Written to the child once it has opened the pipe and proved to be the child just
    /// started; secret (the identity seed): wiped once written.
    Bytes offer;
    /// Runs on the relaunch's thread once the child is known, just before the offer goes
    /// (the old agent stops reconnecting there: the child is about to take its place).
    std::function<void()> beforeOffer;
    /// From the UAC prompt to the child's answer (the person may take a while to answer).
    std::chrono::milliseconds timeout{std::chrono::minutes(3)};
};

/// A relaunch in progress on a thread of its own. Destroying it gives up (a child not yet
/// answered is stopped) and joins that thread.
class ElevatedRelaunch {
public:
    virtual ~ElevatedRelaunch() = default;
    /// The outcome once there is one; nothing while the relaunch is still going.
    virtual std::optional<RelaunchOutcome> poll() = 0;
};

/// True where this build can relaunch itself elevated (Windows).
bool canRelaunchElevated();

/// Starts relaunching this program elevated (the UAC prompt shows on the relaunch's thread).
Result<std::unique_ptr<ElevatedRelaunch>, ElevationError> startElevatedRelaunch(RelaunchRequest request);

/// The elevated child's end of the handover pipe.
class HandoverChannel {
public:
    virtual ~HandoverChannel() = default;
    /// Reads one message of at most `maxSize` bytes; a longer one is refused unread (its first
    /// `maxSize + 1` bytes are returned, so the caller's parser says TrailingBytes). Nothing
    /// on timeout or a broken pipe.
    virtual std::optional<Bytes> read(std::size_t maxSize, std::chrono::milliseconds timeout) = 0;
    /// Writes one message; false if the pipe is gone.
    virtual bool write(ByteView message) = 0;
};

/// Opens the pipe `name` (already checked by handover::parsePipeName) of the old agent.
Result<std::unique_ptr<HandoverChannel>, ElevationError> openHandoverChannel(const std::string& name);

}  // namespace guru::platform
