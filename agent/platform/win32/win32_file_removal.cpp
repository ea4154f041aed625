// Self-deletion on Windows. The running .exe cannot be deleted, but it can be opened for
// DELETE (it could be renamed), so a hidden cmd.exe deletes it once the agent has exited.
// A handle of another process opened without FILE_SHARE_DELETE shows as a sharing violation
// on that open; the file is then scheduled for the next boot (MoveFileExW, administrators)
// or, failing that, the user's next logon (a RunOnce value running `cmd.exe /c del`).
#include "platform/win32/win32_file_removal.h"

#include <vector>

#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {
namespace {

std::optional<std::wstring> systemDirectory() {
    std::wstring system(MAX_PATH, L'\0');
    const UINT n = GetSystemDirectoryW(system.data(), MAX_PATH);
    if (n == 0 || n >= MAX_PATH) return std::nullopt;
    system.resize(n);
    return system;
}

class Win32FileRemover final : public FileRemover {
public:
    DeleteAnswer deleteNow(const std::string& path) override {
        if (path.empty()) return {DeleteNow::Missing, {}};
        const std::wstring file = widen(path);
        if (DeleteFileW(file.c_str())) return {DeleteNow::Deleted, {}};
        const DWORD refused = GetLastError();
        if (refused == ERROR_FILE_NOT_FOUND || refused == ERROR_PATH_NOT_FOUND) return {DeleteNow::Missing, {}};
        UniqueHandle probe(CreateFileW(file.c_str(), DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                       nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
        if (probe.get() == INVALID_HANDLE_VALUE) return {DeleteNow::Refused, describeError(GetLastError())};
        probe.reset();
        // Only a running image (or a read-only file, which `del /f` clears) gets here.
        if (const DWORD helper = startDeleteHelper(path); helper != 0) {
            return {DeleteNow::Refused, describeError(refused) + "; no cmd.exe helper: " + describeError(helper)};
        }
        return {DeleteNow::AfterExit, "cmd.exe retries for 30 s"};
    }

    Result<ScheduledDeletion, ScheduleError> scheduleLater(const std::string& path) override {
        const DWORD moved = scheduleDeletionAtBoot(path);
        if (moved == 0) {
            return ScheduledDeletion{DeferredDeletion::PendingRename,
                                     "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\PendingFileRenameOperations"};
        }
        auto value = addRunOnceDeletion(kUserRunOnce, path);
        if (!value) {
            ScheduleError e = value.error();
            e.detail = "MoveFileExW: " + describeError(moved) + "; RunOnce: " + e.detail;
            return Failure(e);
        }
        return ScheduledDeletion{DeferredDeletion::RunOnce,
                                 "HKCU\\" + narrow(kUserRunOnce.subkey) + "\\" + *value + " (MoveFileExW: " +
                                     describeError(moved) + ")"};
    }
};

}  // namespace

std::string describeError(DWORD error) {
    std::string words;
    switch (error) {
        case ERROR_SHARING_VIOLATION: words = "sharing violation (held open by another process), "; break;
        case ERROR_ACCESS_DENIED: words = "access denied, "; break;
        case ERROR_INVALID_NAME: words = "a name cmd.exe cannot quote, "; break;
        default: break;
    }
    return words + "error " + std::to_string(error);
}

// Up to 30 tries, one a second (ping is the delay that every cmd.exe has), until the file is
// gone; the agent exits right after starting this. CREATE_NO_WINDOW gives it a console of its
// own without a window; under Wine 8 a DETACHED_PROCESS cmd.exe (no console at all) died at
// start about one run in three (test_win32_file_removal). The loop body is `(…)`, not `@(…)`:
// /q already turns echo off, and Wine 8's cmd.exe runs `do @(…)` once, unexpanded and without
// the ping (so the file stayed whenever the agent had not exited within the first instant). A
// helper that exits within half a second, with the file still there, died at start: another is
// started in its place, up to 3 times.
constexpr DWORD kHelperStartCheckMs = 500;
constexpr int kHelperStarts = 3;

DWORD startDeleteHelper(const std::string& path) {
    const auto system = systemDirectory();
    if (!system) return GetLastError();
    const std::string cmdExe = narrow(*system) + "\\cmd.exe";
    if (!runOnceDeleteCommand(cmdExe, path)) return ERROR_INVALID_NAME;  // the same quoting rule
    const std::wstring file = widen(path);
    std::wstring command = L"\"" + widen(cmdExe) + L"\" /d /q /v:off /c \"for /l %i in (1,1,30) do (" +
                           L"ping -n 2 127.0.0.1 >nul & del /f /q \"" + file + L"\" >nul 2>&1 & " +
                           L"if not exist \"" + file + L"\" exit /b 0)\"";
    for (int attempt = 1;; ++attempt) {
        STARTUPINFOW startup{};
        startup.cb = sizeof startup;
        PROCESS_INFORMATION process{};
        if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW,
                            nullptr, system->c_str(), &startup, &process)) {
            return GetLastError();
        }
        UniqueHandle thread(process.hThread), owned(process.hProcess);
        // A healthy helper waits a second before its first try, and the file is still held:
        // one that has exited within half a second died at start (seen under Wine on a loaded
        // machine), so another is started in its place.
        if (WaitForSingleObject(owned.get(), kHelperStartCheckMs) == WAIT_TIMEOUT) return 0;
        if (GetFileAttributesW(file.c_str()) == INVALID_FILE_ATTRIBUTES) return 0;
        if (attempt == kHelperStarts) return ERROR_PROCESS_ABORTED;
    }
}

DWORD scheduleDeletionAtBoot(const std::string& path) {
    if (MoveFileExW(widen(path).c_str(), nullptr, MOVEFILE_DELAY_UNTIL_REBOOT)) return 0;
    return GetLastError();
}

Result<std::string, ScheduleError> addRunOnceDeletion(const RegistryLocation& runOnce, const std::string& path) {
    const auto system = systemDirectory();
    if (!system) return Failure(ScheduleError{ScheduleErrorKind::NoPlace, "no system directory"});
    const auto command = runOnceDeleteCommand(narrow(*system) + "\\cmd.exe", path);
    if (!command) return Failure(ScheduleError{ScheduleErrorKind::UnsafePath, "\", % or ! in the path"});
    UniqueKey key;
    if (const LSTATUS s = createKey(runOnce, key); s != ERROR_SUCCESS) {
        return Failure(ScheduleError{ScheduleErrorKind::WriteFailed, describeError(static_cast<DWORD>(s))});
    }
    const std::string name = runOnceValueName(path);
    if (const LSTATUS s = setString(key.get(), widen(name).c_str(), widen(*command)); s != ERROR_SUCCESS) {
        return Failure(ScheduleError{ScheduleErrorKind::WriteFailed, describeError(static_cast<DWORD>(s))});
    }
    return name;
}

}  // namespace guru::platform::win32

namespace guru::platform {

std::unique_ptr<FileRemover> openFileRemover() { return std::make_unique<win32::Win32FileRemover>(); }

}  // namespace guru::platform
