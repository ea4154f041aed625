// Termination on Windows: a console control handler (Ctrl+C, Ctrl+Break, console closed,
// log-off, shutdown) signals an event that waitForTermination() waits on, and so does the
// service's stop event in the session helper (addTerminationEvent); and hiding the console
// window Windows opens for a double-clicked support agent.
#include <windows.h>

#include <atomic>

#include "platform/process.h"
#include "platform/win32/win32_termination.h"

namespace guru::platform {

namespace {

// The handler runs on a thread Windows creates and takes no context pointer, so what it
// signals must be reachable without one: the only globals of this backend.
HANDLE gTerminationEvent = nullptr;
std::atomic<const char*> gReason{"CTRL_C"};
// The service's stop event in the session helper (win32_termination.h), set once before
// the agent's threads start.
HANDLE gExtraEvent = nullptr;
const char* gExtraReason = "";

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

namespace {
DWORD waitForEvents(DWORD ms) {
    const HANDLE events[] = {gTerminationEvent, gExtraEvent};
    return WaitForMultipleObjects(gExtraEvent ? 2 : 1, events, FALSE, ms);
}
}  // namespace

const char* waitForTermination() {
    return waitForEvents(INFINITE) == WAIT_OBJECT_0 + 1 ? gExtraReason : gReason.load();
}

const char* waitForTermination(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count() > 0 ? timeout.count() : 0;
    const DWORD signalled = waitForEvents(static_cast<DWORD>(ms));
    if (signalled == WAIT_OBJECT_0) return gReason.load();
    if (signalled == WAIT_OBJECT_0 + 1) return gExtraReason;
    return nullptr;
}

namespace win32 {

void addTerminationEvent(HANDLE event, const char* reason) {
    gExtraEvent = event;
    gExtraReason = reason;
}

}  // namespace win32

bool hideOwnConsoleWindow() {
    HWND window = GetConsoleWindow();
    if (!window) return false;
    DWORD processes[2];
    // Only this process on the console: Windows made it for us (a double click), no shell.
    if (GetConsoleProcessList(processes, 2) != 1) return false;
    ShowWindow(window, SW_HIDE);
    return true;
}

}  // namespace guru::platform
