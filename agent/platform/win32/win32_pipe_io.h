// Overlapped I/O on a named pipe with a deadline and stop handles, for the elevation
// handover (win32_elevated_relaunch.cpp): every wait is bounded, and a child that exits or an
// owner that gives up ends it at once.
#pragma once

#include <windows.h>

#include <chrono>
#include <cstddef>
#include <initializer_list>

namespace guru::platform::win32 {

/// How an overlapped operation ended.
enum class IoEnd : std::uint8_t {
    Done,      ///< completed: `bytes` moved (a message longer than the buffer: `moreData`)
    Failed,    ///< the OS said no: `error`
    Stopped,   ///< one of the stop handles was signalled: `stoppedBy` is its index
    TimedOut,  ///< the deadline passed
};

/// The end of one operation.
struct IoResult {
    IoEnd end = IoEnd::Failed;
    DWORD bytes = 0;
    DWORD error = 0;
    std::size_t stoppedBy = 0;
    bool moreData = false;  ///< ReadFile in message mode: the message did not fit
};

/// Completes the operation just started on `handle` with `overlapped` (whose event is set on
/// completion): `started` and `startError` are what the call returned and GetLastError() then.
/// A stop or the deadline cancels it (CancelIoEx) and waits for the cancellation.
IoResult finishIo(HANDLE handle, OVERLAPPED& overlapped, BOOL started, DWORD startError,
                  std::initializer_list<HANDLE> stops, std::chrono::steady_clock::time_point deadline);

}  // namespace guru::platform::win32
