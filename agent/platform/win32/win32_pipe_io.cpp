// Bounded overlapped I/O (win32_pipe_io.h).
#include "platform/win32/win32_pipe_io.h"

#include <algorithm>
#include <vector>

namespace guru::platform::win32 {

namespace {

IoResult completed(HANDLE handle, OVERLAPPED& overlapped) {
    IoResult r;
    if (GetOverlappedResult(handle, &overlapped, &r.bytes, FALSE)) {
        r.end = IoEnd::Done;
        return r;
    }
    r.error = GetLastError();
    if (r.error == ERROR_MORE_DATA) {
        r.end = IoEnd::Done;
        r.moreData = true;
        return r;
    }
    r.end = IoEnd::Failed;
    return r;
}

}  // namespace

IoResult finishIo(HANDLE handle, OVERLAPPED& overlapped, BOOL started, DWORD startError,
                  std::initializer_list<HANDLE> stops, std::chrono::steady_clock::time_point deadline) {
    if (started) return completed(handle, overlapped);
    if (startError == ERROR_PIPE_CONNECTED) return IoResult{IoEnd::Done};  // ConnectNamedPipe: already there
    if (startError == ERROR_MORE_DATA) return completed(handle, overlapped);
    if (startError != ERROR_IO_PENDING) return IoResult{IoEnd::Failed, 0, startError};
    std::vector<HANDLE> waits{overlapped.hEvent};
    waits.insert(waits.end(), stops.begin(), stops.end());
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const DWORD timeout = static_cast<DWORD>(std::clamp<long long>(left.count(), 0, 0x7FFFFFFF));
    const DWORD which = WaitForMultipleObjects(static_cast<DWORD>(waits.size()), waits.data(), FALSE, timeout);
    if (which == WAIT_OBJECT_0) return completed(handle, overlapped);
    CancelIoEx(handle, &overlapped);
    DWORD ignored = 0;
    GetOverlappedResult(handle, &overlapped, &ignored, TRUE);  // wait until the OS lets go of the buffer
    IoResult r;
    if (which > WAIT_OBJECT_0 && which < WAIT_OBJECT_0 + waits.size()) {
        r.end = IoEnd::Stopped;
        r.stoppedBy = which - WAIT_OBJECT_0 - 1;
    } else if (which == WAIT_TIMEOUT) {
        r.end = IoEnd::TimedOut;
    } else {
        r.end = IoEnd::Failed;
        r.error = GetLastError();
    }
    return r;
}

}  // namespace guru::platform::win32
