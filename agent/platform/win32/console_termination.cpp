// Termination on Windows: a console control handler (Ctrl+C, Ctrl+Break, console closed,
// log-off, shutdown) signals an event that waitForTermination() waits on.
#include <windows.h>

#include <atomic>

#include "platform/process.h"

namespace guru::platform {

namespace {

// The handler runs on a thread Windows creates and takes no context pointer, so what it
// signals must be reachable without one: the only globals of this backend.
HANDLE gTerminationEvent = nullptr;
std::atomic<const char*> gReason{"CTRL_C"};

BOOL WINAPI onConsoleControl(DWORD type) {
    switch (type) {
        case CTRL_C_EVENT: gReason = "CTRL_C"; break;
        case CTRL_BREAK_EVENT: gReason = "CTRL_BREAK"; break;
        case CTRL_CLOSE_EVENT: gReason = "CTRL_CLOSE"; break;
        case CTRL_LOGOFF_EVENT: gReason = "CTRL_LOGOFF"; break;
        case CTRL_SHUTDOWN_EVENT: gReason = "CTRL_SHUTDOWN"; break;
        default: return FALSE;
    }
    SetEvent(gTerminationEvent);
    if (type == CTRL_CLOSE_EVENT || type == CTRL_LOGOFF_EVENT || type == CTRL_SHUTDOWN_EVENT) {
        // Windows ends the process when this handler returns: give main time to close
        // the connection cleanly (the system allows about 5 s).
        Sleep(4000);
    }
    return TRUE;
}

}  // namespace

void blockTerminationSignals() {
    if (!gTerminationEvent) gTerminationEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    SetConsoleCtrlHandler(onConsoleControl, TRUE);
}

const char* waitForTermination() {
    WaitForSingleObject(gTerminationEvent, INFINITE);
    return gReason.load();
}

const char* waitForTermination(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count() > 0 ? timeout.count() : 0;
    if (WaitForSingleObject(gTerminationEvent, static_cast<DWORD>(ms)) != WAIT_OBJECT_0) {
        return nullptr;
    }
    return gReason.load();
}

}  // namespace guru::platform
