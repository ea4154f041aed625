// Starting and stopping the session helper (win32_session_launcher.h).
#include "platform/win32/win32_session_launcher.h"

#include <wtsapi32.h>

#include <cstdint>
#include <vector>

#include "platform/service.h"
#include "platform/win32/win32_service_control.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

namespace {

// Logs whether someone is logged on in `session` (the helper runs either way: at the logon
// screen it shows the Winlogon desktop). ERROR_NO_TOKEN means nobody is.
void logUserPresence(DWORD session, const LogSink& log) {
    HANDLE user = nullptr;
    const std::string where = "session " + std::to_string(session);
    if (WTSQueryUserToken(session, &user)) {
        CloseHandle(user);
        log(where + ": a user is logged on");
    } else if (const DWORD error = GetLastError(); error == ERROR_NO_TOKEN) {
        log(where + ": no user logged on (logon screen)");
    } else {
        log(where + ": WTSQueryUserToken: " + win32ErrorText(error));
    }
}

// Only these handles are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), not every
// inheritable handle the service happens to hold.
class InheritList {
public:
    explicit InheritList(std::vector<HANDLE> handles) : handles_(std::move(handles)) {
        SIZE_T size = 0;
        InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
        storage_.resize(size);
        auto* list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage_.data());
        if (InitializeProcThreadAttributeList(list, 1, 0, &size)) {
            initialised_ = true;
            ok_ = UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles_.data(),
                                            handles_.size() * sizeof(HANDLE), nullptr, nullptr) != 0;
        }
    }
    ~InheritList() {
        if (initialised_) DeleteProcThreadAttributeList(list());
    }
    InheritList(const InheritList&) = delete;
    InheritList& operator=(const InheritList&) = delete;
    bool ok() const { return ok_; }
    LPPROC_THREAD_ATTRIBUTE_LIST list() { return reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage_.data()); }

private:
    std::vector<HANDLE> handles_;
    std::vector<unsigned char> storage_;
    bool initialised_ = false;
    bool ok_ = false;
};

// A job that ends the helper when its last handle closes: when the service process exits,
// crashed or not, no orphaned helper keeps a second connection with the same credential.
UniqueHandle killOnCloseJob(HANDLE process, const LogSink& log) {
    UniqueHandle job(CreateJobObjectW(nullptr, nullptr));
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!job || !SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof limits) ||
        !AssignProcessToJobObject(job.get(), process)) {
        log("helper job object: " + win32ErrorText(GetLastError()) + " (the helper would outlive a crashed service)");
        return {};
    }
    return job;
}

}  // namespace

std::optional<UniqueHandle> tokenForSession(DWORD session, DWORD& error) {
    HANDLE own = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &own)) {
        error = GetLastError();
        return std::nullopt;
    }
    UniqueHandle ownToken(own);
    HANDLE duplicate = nullptr;
    if (!DuplicateTokenEx(own, TOKEN_ALL_ACCESS, nullptr, SecurityImpersonation, TokenPrimary, &duplicate)) {
        error = GetLastError();
        return std::nullopt;
    }
    UniqueHandle token(duplicate);
    if (!SetTokenInformation(duplicate, TokenSessionId, &session, sizeof session)) {
        error = GetLastError();
        return std::nullopt;
    }
    return token;
}

std::optional<SessionHelperProcess> SessionHelperProcess::launch(DWORD session, const std::wstring& exe,
                                                                 HANDLE logFile, const LogSink& log) {
    const std::string where = "session " + std::to_string(session);
    logUserPresence(session, log);
    DWORD error = 0;
    auto token = tokenForSession(session, error);
    if (!token) {
        log(where + ": no LocalSystem token for it: " + win32ErrorText(error));
        return std::nullopt;
    }
    SECURITY_ATTRIBUTES inheritable{sizeof inheritable, nullptr, TRUE};
    UniqueHandle stopEvent(CreateEventW(&inheritable, TRUE, FALSE, nullptr));
    if (!stopEvent) {
        log(where + ": CreateEventW: " + win32ErrorText(GetLastError()));
        return std::nullopt;
    }
    std::vector<HANDLE> inherited{stopEvent.get()};
    if (logFile) inherited.push_back(logFile);
    InheritList inherit(inherited);
    if (!inherit.ok()) {
        log(where + ": PROC_THREAD_ATTRIBUTE_HANDLE_LIST: " + win32ErrorText(GetLastError()));
        return std::nullopt;
    }
    const auto eventValue = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(stopEvent.get()));
    std::wstring commandLine = widen(service::sessionHelperCommandLine(narrow(exe), eventValue));
    wchar_t desktop[] = L"winsta0\\default";
    STARTUPINFOEXW startup{};
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.lpDesktop = desktop;
    if (logFile) {
        startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        startup.StartupInfo.hStdOutput = logFile;
        startup.StartupInfo.hStdError = logFile;
    }
    startup.lpAttributeList = inherit.list();
    PROCESS_INFORMATION info{};
    if (!CreateProcessAsUserW(token->get(), exe.c_str(), commandLine.data(), nullptr, nullptr, TRUE,
                              CREATE_NO_WINDOW | CREATE_SUSPENDED | EXTENDED_STARTUPINFO_PRESENT, nullptr, nullptr,
                              &startup.StartupInfo, &info)) {
        log(where + ": CreateProcessAsUserW: " + win32ErrorText(GetLastError()));
        return std::nullopt;
    }
    UniqueHandle thread(info.hThread);
    SessionHelperProcess helper;
    helper.process_.reset(info.hProcess);
    helper.job_ = killOnCloseJob(info.hProcess, log);
    ResumeThread(info.hThread);
    helper.stopEvent_ = std::move(stopEvent);
    helper.session_ = session;
    helper.processId_ = info.dwProcessId;
    DWORD actualSession = 0;
    const std::string actual = ProcessIdToSessionId(info.dwProcessId, &actualSession)
                                   ? std::to_string(actualSession) : "unknown";
    log(where + ": helper started, pid " + std::to_string(info.dwProcessId) + " (its session: " + actual + ")");
    return helper;
}

DWORD SessionHelperProcess::exitCode() const {
    DWORD code = STILL_ACTIVE;
    if (!GetExitCodeProcess(process_.get(), &code)) return STILL_ACTIVE;
    return code;
}

void SessionHelperProcess::stop(std::chrono::milliseconds grace, const LogSink& log) {
    SetEvent(stopEvent_.get());
    if (WaitForSingleObject(process_.get(), static_cast<DWORD>(grace.count())) == WAIT_OBJECT_0) {
        log("helper pid " + std::to_string(processId_) + " stopped (exit code " + std::to_string(exitCode()) + ")");
        return;
    }
    TerminateProcess(process_.get(), 1);
    WaitForSingleObject(process_.get(), 5000);
    log("helper pid " + std::to_string(processId_) + " did not stop in time: terminated");
}

}  // namespace guru::platform::win32
