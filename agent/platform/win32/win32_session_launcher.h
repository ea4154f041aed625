// The service's side of the session helper: one `--session-helper` process started in a
// console session as LocalSystem (the service's own token, moved to that session), told to
// stop through an inheritable event.
#pragma once

#include <windows.h>

#include <chrono>
#include <optional>
#include <string>

#include "core/log.h"
#include "platform/win32/win32_handles.h"

namespace guru::platform::win32 {

/// A running session helper: its process and the event that asks it to stop.
class SessionHelperProcess {
public:
    /// Starts `exe --session-helper --stop-event N` on winsta0\default of `session`, with
    /// `logFile` (inheritable) as its stdout and stderr. Logs each step and whether a user
    /// is logged on there; nothing (the reason logged) if the process could not start.
    static std::optional<SessionHelperProcess> launch(DWORD session, const std::wstring& exe, HANDLE logFile,
                                                      const LogSink& log);

    /// The process handle, signalled when it exits.
    HANDLE process() const { return process_.get(); }
    DWORD session() const { return session_; }
    DWORD processId() const { return processId_; }
    /// The exit code once the process has ended (STILL_ACTIVE before).
    DWORD exitCode() const;
    /// Signals the stop event, waits at most `grace`, then terminates the process.
    void stop(std::chrono::milliseconds grace, const LogSink& log);

private:
    SessionHelperProcess() = default;
    UniqueHandle process_;
    UniqueHandle stopEvent_;
    UniqueHandle job_;  // kill-on-close: the helper never outlives the service process
    DWORD session_ = 0;
    DWORD processId_ = 0;
};

/// A primary token for `session`: the calling process's own (LocalSystem in the service)
/// duplicated with TokenSessionId set, so that the helper can open that session's desktops,
/// the logon and UAC ones included. Needs SeTcbPrivilege; the Win32 error otherwise.
std::optional<UniqueHandle> tokenForSession(DWORD session, DWORD& error);

}  // namespace guru::platform::win32
