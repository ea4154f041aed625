// The DiagnosticsReport's JSON (schema 1, docs/protocol.md §4) from a platform snapshot:
// the sections in the contract's shape, failed sections in sectionErrors, and the whole kept
// within the protocol's 262,144 bytes by trimming processes, log entries and their messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "platform/system_snapshot.h"

namespace guru::diagnostics {

/// The report's schema number.
inline constexpr int kSchema = 1;
/// Most processes listed (top by CPU, then memory).
inline constexpr std::size_t kMaxProcesses = 15;
/// Most log entries listed (newest first).
inline constexpr std::size_t kMaxRecentErrors = 50;
/// Longest log message, in characters (code points).
inline constexpr std::size_t kMaxMessageChars = 1000;

/// What the report says about the agent itself.
struct ReportContext {
    std::string agentVersion;
    /// Largest JSON produced, in bytes (the protocol's cap; tests lower it).
    std::size_t maxBytes = 262144;
};

/// The report's JSON text: valid UTF-8 (bad bytes from the OS become U+FFFD), at most
/// `context.maxBytes` bytes.
std::string buildReport(const platform::SystemSnapshot& snapshot, const ReportContext& context);

/// `t` as ISO-8601 UTC to the second: "2026-12-03T20:00:00Z".
std::string isoUtc(std::chrono::system_clock::time_point t);

/// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD.
std::string validUtf8(std::string_view text);

/// The first `maxChars` code points of valid UTF-8 `text`; a cut text ends in "…" (within the count).
std::string truncateChars(std::string_view text, std::size_t maxChars);

}  // namespace guru::diagnostics
