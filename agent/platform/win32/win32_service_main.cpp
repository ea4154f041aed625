// --service: the process the service manager starts. It reports RUNNING, then keeps one
// session helper (win32_session_launcher.h) running in the active console session:
// relaunched with a 1 s → 30 s backoff if it exits, moved on a console connect or logon,
// asked to stop (10 s, then terminated) on STOP or SHUTDOWN. Logs go to agent.log beside the
// installed .exe, the helper's output too.
#include <windows.h>
#include <wtsapi32.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>

#include "platform/process.h"
#include "platform/service.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_service_control.h"
#include "platform/win32/win32_session_launcher.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::service {

using namespace std::chrono_literals;

namespace {

constexpr DWORD kNoConsoleSession = 0xFFFFFFFF;
constexpr LONGLONG kMaxLogBytes = 1 << 20;  // started afresh past 1 MB

/// The service log: one inheritable append-only file shared with the helper.
class ServiceLog {
public:
    ServiceLog() {
        const std::wstring path = win32::serviceLogPath();
        SECURITY_ATTRIBUTES inheritable{sizeof inheritable, nullptr, TRUE};
        WIN32_FILE_ATTRIBUTE_DATA data{};
        const bool large = GetFileAttributesExW(path.c_str(), GetFileExInfoStandard, &data) &&
                           ((static_cast<LONGLONG>(data.nFileSizeHigh) << 32) | data.nFileSizeLow) > kMaxLogBytes;
        file_.reset(CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                &inheritable, large ? CREATE_ALWAYS : OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr));
        if (file_.get() == INVALID_HANDLE_VALUE) file_.release();
    }
    HANDLE handle() const { return file_.get(); }
    void write(const std::string& line) {
        std::time_t now = std::time(nullptr);
        char stamp[32] = "";
        std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::gmtime(&now));
        const std::string text = std::string(stamp) + " guruconnect-service: " + line + "\r\n";
        std::lock_guard lock(mutex_);
        DWORD written = 0;
        if (file_) WriteFile(file_.get(), text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
    }

private:
    std::mutex mutex_;
    win32::UniqueHandle file_;
};

/// One service run: the SCM status, the stop and session-change events, the supervisor.
class ServiceHost {
public:
    ServiceHost()
        : stop_(CreateEventW(nullptr, TRUE, FALSE, nullptr)), sessionChanged_(CreateEventW(nullptr, FALSE, FALSE, nullptr)) {}
    void main();
    int exitCode() const { return exitCode_; }

private:
    static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID context);
    void report(DWORD state, DWORD waitHint = 0);
    void log(const std::string& line) { log_.write(line); }
    void supervise();
    bool stopRequestedWithin(std::chrono::milliseconds wait) {
        return WaitForSingleObject(stop_.get(), static_cast<DWORD>(wait.count())) == WAIT_OBJECT_0;
    }

    ServiceLog log_;
    win32::UniqueHandle stop_;
    win32::UniqueHandle sessionChanged_;
    SERVICE_STATUS_HANDLE status_ = nullptr;
    // The handler's thread reports too (STOP_PENDING): reports are serialised, and none
    // follows STOPPED, which would leave the SCM believing the exiting process crashed.
    std::mutex statusMutex_;
    bool reportedStopped_ = false;
    DWORD checkpoint_ = 0;
    std::atomic<int> exitCode_ = 0;
};

// The service manager calls ServiceMain with no context pointer: the one global of service
// mode, set by runService() before the dispatcher starts and cleared after it returns.
ServiceHost* gHost = nullptr;

void WINAPI serviceMain(DWORD, LPWSTR*) {
    if (gHost) gHost->main();
}

DWORD WINAPI ServiceHost::control(DWORD code, DWORD type, LPVOID, LPVOID context) {
    auto* host = static_cast<ServiceHost*>(context);
    switch (code) {
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
            host->log(code == SERVICE_CONTROL_STOP ? "stop requested" : "system shutdown");
            host->report(SERVICE_STOP_PENDING, 15000);
            SetEvent(host->stop_.get());
            return NO_ERROR;
        case SERVICE_CONTROL_SESSIONCHANGE:
            if (type == WTS_CONSOLE_CONNECT || type == WTS_SESSION_LOGON) {
                host->log(std::string("session change: ") + (type == WTS_CONSOLE_CONNECT ? "console connect" : "logon"));
                SetEvent(host->sessionChanged_.get());
            }
            return NO_ERROR;
        case SERVICE_CONTROL_INTERROGATE: return NO_ERROR;
        default: return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void ServiceHost::report(DWORD state, DWORD waitHint) {
    std::lock_guard lock(statusMutex_);
    if (reportedStopped_) return;
    reportedStopped_ = state == SERVICE_STOPPED;
    SERVICE_STATUS status{};
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_SESSIONCHANGE : 0;
    const int exitCode = exitCode_;
    status.dwWin32ExitCode = exitCode == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    status.dwServiceSpecificExitCode = static_cast<DWORD>(exitCode);
    status.dwCheckPoint = state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : ++checkpoint_;
    status.dwWaitHint = waitHint;
    SetServiceStatus(status_, &status);
}

void ServiceHost::main() {
    status_ = RegisterServiceCtrlHandlerExW(win32::kServiceName, control, this);
    if (!status_) {
        log("RegisterServiceCtrlHandlerExW: " + win32::win32ErrorText(GetLastError()));
        exitCode_ = 1;
        return;
    }
    report(SERVICE_START_PENDING, 3000);
    if (!stop_ || !sessionChanged_) {
        log("CreateEventW: " + win32::win32ErrorText(GetLastError()));
        exitCode_ = 1;
        report(SERVICE_STOPPED);
        return;
    }
    report(SERVICE_RUNNING);
    log("running, pid " + std::to_string(GetCurrentProcessId()));
    supervise();
    log("stopped");
    report(SERVICE_STOPPED);
}

void ServiceHost::supervise() {
    const auto self = platform::ownExecutablePath();
    if (!self) {
        log("GetModuleFileNameW: " + win32::win32ErrorText(GetLastError()));
        exitCode_ = 1;
        return;
    }
    const std::wstring exe = win32::widen(*self);
    const LogSink sink = [this](const std::string& line) { log(line); };
    constexpr auto kMaxBackoff = 30s;
    constexpr auto kHealthyRun = 60s;  // a helper that ran this long resets the backoff
    std::chrono::milliseconds backoff = 1s;
    std::optional<win32::SessionHelperProcess> helper;
    auto startedAt = std::chrono::steady_clock::now();
    for (;;) {
        if (!helper) {
            const DWORD session = WTSGetActiveConsoleSessionId();
            if (session != kNoConsoleSession) helper = win32::SessionHelperProcess::launch(session, exe, log_.handle(), sink);
            else log("no console session attached");
            if (!helper) {
                log("retrying in " + std::to_string(backoff.count()) + " ms");
                // A console connect or logon ends the wait: that is when a launch can succeed.
                HANDLE idle[] = {stop_.get(), sessionChanged_.get()};
                const DWORD woke = WaitForMultipleObjects(2, idle, FALSE, static_cast<DWORD>(backoff.count()));
                if (woke == WAIT_OBJECT_0) return;
                backoff = woke == WAIT_OBJECT_0 + 1 ? 1s : std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
                continue;
            }
            startedAt = std::chrono::steady_clock::now();
        }
        HANDLE waits[] = {stop_.get(), sessionChanged_.get(), helper->process()};
        const DWORD signalled = WaitForMultipleObjects(3, waits, FALSE, INFINITE);
        if (signalled == WAIT_OBJECT_0) {
            helper->stop(10s, sink);
            return;
        }
        if (signalled == WAIT_OBJECT_0 + 1) {
            log("restarting the helper in the console session (was session " + std::to_string(helper->session()) + ")");
            helper->stop(10s, sink);
            helper.reset();
            backoff = 1s;
            continue;
        }
        if (signalled != WAIT_OBJECT_0 + 2) {
            log("WaitForMultipleObjects: " + win32::win32ErrorText(GetLastError()));
            helper->stop(10s, sink);
            exitCode_ = 1;
            return;
        }
        if (std::chrono::steady_clock::now() - startedAt > kHealthyRun) backoff = 1s;
        log("helper pid " + std::to_string(helper->processId()) + " exited with code " +
            std::to_string(helper->exitCode()) + "; restarting in " + std::to_string(backoff.count()) + " ms");
        helper.reset();
        if (stopRequestedWithin(backoff)) return;
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
    }
}

}  // namespace

Result<int, ServiceError> runService() {
    ServiceHost host;
    gHost = &host;
    wchar_t name[] = L"GuruConnect";
    SERVICE_TABLE_ENTRYW table[] = {{name, serviceMain}, {nullptr, nullptr}};
    const BOOL dispatched = StartServiceCtrlDispatcherW(table);
    const DWORD error = GetLastError();
    gHost = nullptr;
    if (!dispatched) {
        return Failure{error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT ? ServiceError::NotStartedByScm
                                                                       : ServiceError::ServiceManagerFailed};
    }
    return host.exitCode();
}

}  // namespace guru::platform::service
