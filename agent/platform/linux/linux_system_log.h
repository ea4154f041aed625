// The recent errors of the Linux system log: the systemd journal (libsystemd loaded at run
// time, so the agent still starts where there is none), else /var/log/syslog or
// /var/log/messages.
#pragma once

#include <cstddef>
#include <vector>

#include "platform/system_snapshot.h"

namespace guru::platform::linux_log {

/// Up to `limit` entries of priority err or worse, newest first; an error when no log can be read.
Section<std::vector<LogEntry>> recentErrors(std::size_t limit);

/// The syslog fallback alone, from `text` (the file's tail): lines that read as errors, newest first.
std::vector<LogEntry> syslogErrors(const std::string& text, std::size_t limit, int year);

}  // namespace guru::platform::linux_log
