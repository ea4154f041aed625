// "Run as administrator" on Windows (platform/elevation.h). The old agent creates the handover
// pipe first (FILE_FLAG_FIRST_PIPE_INSTANCE: nobody can have squatted its random name), with a
// DACL for this user and Administrators only (a pipe's default DACL lets Everyone read), then
// starts itself with ShellExecuteExW "runas" (the UAC prompt), waits for a client, checks that
// the client is the process just started, writes the offer and reads the answer. Every wait
// ends when the child exits, the owner gives up, or the deadline passes.
#include <windows.h>
#include <sddl.h>
#include <objbase.h>
#include <shellapi.h>

#include <mutex>
#include <thread>

#include "platform/elevation.h"
#include "platform/process.h"
#include "platform/service.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_pipe_io.h"
#include "platform/win32/win32_text.h"

namespace guru::platform {

namespace {

using win32::finishIo;
using win32::IoEnd;
using win32::UniqueHandle;
using Clock = std::chrono::steady_clock;

constexpr DWORD kPipeBuffer = 4096;
constexpr std::size_t kAnswerBuffer = 64;  // answers are 9 bytes; more is refused by the parser

std::wstring pipePath(const std::string& name) { return L"\\\\.\\pipe\\" + win32::widen(name); }

std::string errorText(const char* step, DWORD error) { return std::string(step) + ": error " + std::to_string(error); }

/// "D:P(A;;GA;;;<this user>)(A;;GA;;;BA)": the user who runs the agent (the elevated child
/// runs as the same user, with its full token) and Administrators; nobody else, not even to read.
std::optional<std::wstring> pipeSddl() {
    HANDLE raw = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return std::nullopt;
    UniqueHandle token(raw);
    DWORD size = 0;
    GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
    std::vector<std::byte> buffer(size);
    if (size == 0 || !GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size)) return std::nullopt;
    wchar_t* sid = nullptr;
    if (!ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &sid)) return std::nullopt;
    std::wstring sddl = L"D:P(A;;GA;;;" + std::wstring(sid) + L")(A;;GA;;;BA)";
    LocalFree(sid);
    return sddl;
}

/// The relaunch's thread and its outcome.
class Win32ElevatedRelaunch final : public ElevatedRelaunch {
public:
    explicit Win32ElevatedRelaunch(RelaunchRequest request) : request_(std::move(request)) {
        giveUp_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
        thread_ = std::thread([this] { run(); });
    }
    ~Win32ElevatedRelaunch() override {
        if (giveUp_) SetEvent(giveUp_.get());
        if (thread_.joinable()) thread_.join();
        SecureZeroMemory(request_.offer.data(), request_.offer.size());
    }

    std::optional<RelaunchOutcome> poll() override {
        std::lock_guard lock(mutex_);
        return outcome_;
    }

private:
    void run() {
        // ShellExecuteEx may use COM (shell extensions); Microsoft asks for an STA here.
        const HRESULT com = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
        RelaunchOutcome outcome = attempt();
        SecureZeroMemory(request_.offer.data(), request_.offer.size());
        if (SUCCEEDED(com)) CoUninitialize();
        std::lock_guard lock(mutex_);
        outcome_ = std::move(outcome);
    }

    static RelaunchOutcome failed(std::string detail) { return {RelaunchEnd::Failed, {}, std::move(detail)}; }

    RelaunchOutcome attempt() {
        const auto deadline = Clock::now() + request_.timeout;
        const auto exe = request_.program.empty() ? ownExecutablePath() : std::optional<std::string>(request_.program);
        if (!exe) return failed("cannot find this program's path");
        const auto sddl = pipeSddl();
        if (!sddl) return failed(errorText("reading this user's SID", GetLastError()));
        PSECURITY_DESCRIPTOR descriptor = nullptr;
        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl->c_str(), SDDL_REVISION_1, &descriptor, nullptr))
            return failed(errorText("building the pipe's DACL", GetLastError()));
        SECURITY_ATTRIBUTES attributes{sizeof attributes, descriptor, FALSE};
        UniqueHandle pipe(CreateNamedPipeW(pipePath(request_.pipeName).c_str(),
                                           PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE | FILE_FLAG_OVERLAPPED,
                                           PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT |
                                               PIPE_REJECT_REMOTE_CLIENTS,
                                           1, kPipeBuffer, kPipeBuffer, 0, &attributes));
        const DWORD pipeError = GetLastError();
        LocalFree(descriptor);
        if (pipe.get() == INVALID_HANDLE_VALUE) return failed(errorText("CreateNamedPipe", pipeError));

        std::string parameters = "--elevated-handover " + request_.pipeName;
        for (const std::string& a : request_.arguments) parameters += " " + service::quoteArgument(a);
        const std::wstring file = win32::widen(*exe), params = win32::widen(parameters);
        SHELLEXECUTEINFOW info{};
        info.cbSize = sizeof info;
        info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
        info.lpVerb = L"runas";
        info.lpFile = file.c_str();
        info.lpParameters = params.c_str();
        info.nShow = SW_SHOWNORMAL;
        if (!ShellExecuteExW(&info)) {
            const DWORD error = GetLastError();
            if (error == ERROR_CANCELLED) return {RelaunchEnd::Declined, {}, "the administrator prompt was declined"};
            return failed(errorText("ShellExecuteEx runas", error));
        }
        UniqueHandle child(info.hProcess);
        if (!child) return failed("ShellExecuteEx runas started no process");

        RelaunchOutcome outcome = converse(pipe.get(), child.get(), deadline);
        if (outcome.end != RelaunchEnd::Answered) TerminateProcess(child.get(), 1);  // it must not take over later
        return outcome;
    }

    RelaunchOutcome childGone(HANDLE child, const char* when) {
        DWORD code = 0;
        GetExitCodeProcess(child, &code);
        return failed(std::string("the elevated agent exited (code ") + std::to_string(code) + ") " + when);
    }

    RelaunchOutcome converse(HANDLE pipe, HANDLE child, Clock::time_point deadline) {
        UniqueHandle event(CreateEventW(nullptr, TRUE, FALSE, nullptr));
        OVERLAPPED overlapped{};
        overlapped.hEvent = event.get();
        BOOL started = ConnectNamedPipe(pipe, &overlapped);
        auto io = finishIo(pipe, overlapped, started, started ? 0 : GetLastError(), {child, giveUp_.get()}, deadline);
        if (io.end == IoEnd::Stopped && io.stoppedBy == 0) return childGone(child, "before opening the handover pipe");
        if (io.end == IoEnd::Stopped) return failed("given up");
        if (io.end == IoEnd::TimedOut) return failed("the elevated agent did not open the handover pipe in time");
        if (io.end == IoEnd::Failed) return failed(errorText("ConnectNamedPipe", io.error));

        ULONG client = 0;
        if (!GetNamedPipeClientProcessId(pipe, &client)) return failed(errorText("GetNamedPipeClientProcessId", GetLastError()));
        if (client != GetProcessId(child)) return failed("another process (" + std::to_string(client) + ") opened the handover pipe");

        if (request_.beforeOffer) request_.beforeOffer();
        ResetEvent(event.get());
        overlapped = OVERLAPPED{};
        overlapped.hEvent = event.get();
        started = WriteFile(pipe, request_.offer.data(), static_cast<DWORD>(request_.offer.size()), nullptr, &overlapped);
        io = finishIo(pipe, overlapped, started, started ? 0 : GetLastError(), {child, giveUp_.get()}, deadline);
        SecureZeroMemory(request_.offer.data(), request_.offer.size());
        if (io.end != IoEnd::Done || io.bytes != request_.offer.size()) return failed("cannot hand the session over (write)");

        Bytes answer(kAnswerBuffer);
        ResetEvent(event.get());
        overlapped = OVERLAPPED{};
        overlapped.hEvent = event.get();
        started = ReadFile(pipe, answer.data(), static_cast<DWORD>(answer.size()), nullptr, &overlapped);
        io = finishIo(pipe, overlapped, started, started ? 0 : GetLastError(), {giveUp_.get()}, deadline);
        if (io.end == IoEnd::Failed && io.error == ERROR_BROKEN_PIPE) return childGone(child, "without answering");
        if (io.end == IoEnd::TimedOut) return failed("the elevated agent did not answer in time");
        if (io.end != IoEnd::Done) return failed(io.end == IoEnd::Stopped ? "given up" : errorText("ReadFile", io.error));
        answer.resize(io.moreData ? answer.size() : io.bytes);
        return {RelaunchEnd::Answered, std::move(answer), {}};
    }

    RelaunchRequest request_;
    UniqueHandle giveUp_;
    std::mutex mutex_;
    std::optional<RelaunchOutcome> outcome_;
    std::thread thread_;  // last: started once everything above exists
};

/// The child's end: opened for read and write, identification-level impersonation only.
class Win32HandoverChannel final : public HandoverChannel {
public:
    explicit Win32HandoverChannel(HANDLE pipe) : pipe_(pipe), event_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}

    std::optional<Bytes> read(std::size_t maxSize, std::chrono::milliseconds timeout) override {
        Bytes buffer(maxSize + 1);
        OVERLAPPED overlapped{};
        overlapped.hEvent = event_.get();
        ResetEvent(event_.get());
        const BOOL started = ReadFile(pipe_.get(), buffer.data(), static_cast<DWORD>(buffer.size()), nullptr, &overlapped);
        const auto io = finishIo(pipe_.get(), overlapped, started, started ? 0 : GetLastError(), {},
                                 Clock::now() + timeout);
        if (io.end != IoEnd::Done) return std::nullopt;
        buffer.resize(io.moreData ? buffer.size() : io.bytes);
        return buffer;
    }

    bool write(ByteView message) override {
        OVERLAPPED overlapped{};
        overlapped.hEvent = event_.get();
        ResetEvent(event_.get());
        const BOOL started = WriteFile(pipe_.get(), message.data(), static_cast<DWORD>(message.size()), nullptr, &overlapped);
        const auto io = finishIo(pipe_.get(), overlapped, started, started ? 0 : GetLastError(), {},
                                 Clock::now() + std::chrono::seconds(5));
        return io.end == IoEnd::Done && io.bytes == message.size();
    }

private:
    UniqueHandle pipe_;
    UniqueHandle event_;
};

}  // namespace

bool canRelaunchElevated() { return true; }

Result<std::unique_ptr<ElevatedRelaunch>, ElevationError> startElevatedRelaunch(RelaunchRequest request) {
    auto relaunch = std::make_unique<Win32ElevatedRelaunch>(std::move(request));
    return std::unique_ptr<ElevatedRelaunch>(std::move(relaunch));
}

Result<std::unique_ptr<HandoverChannel>, ElevationError> openHandoverChannel(const std::string& name) {
    HANDLE pipe = CreateFileW(pipePath(name).c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);
    if (pipe == INVALID_HANDLE_VALUE) return Failure{ElevationError::SystemError};
    DWORD mode = PIPE_READMODE_MESSAGE;
    if (!SetNamedPipeHandleState(pipe, &mode, nullptr, nullptr)) {
        CloseHandle(pipe);
        return Failure{ElevationError::SystemError};
    }
    return std::unique_ptr<HandoverChannel>(std::make_unique<Win32HandoverChannel>(pipe));
}

}  // namespace guru::platform
