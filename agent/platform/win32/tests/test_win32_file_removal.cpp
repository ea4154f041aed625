// Self-deletion's real Windows parts (real Windows, or Wine): a file another process holds
// open without FILE_SHARE_DELETE is refused and then scheduled (the pending rename as the
// registry records it, or a RunOnce value); a RunOnce value's command deletes the file; a
// running image goes through the cmd.exe helper once its process has exited.
#include <doctest/doctest.h>
#include <windows.h>
#include <tlhelp32.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "platform/file_removal.h"
#include "platform/process.h"
#include "platform/win32/win32_file_removal.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_text.h"

using namespace guru;
using namespace guru::platform;
using namespace std::chrono_literals;

namespace {

const wchar_t* kSessionManager = L"SYSTEM\\CurrentControlSet\\Control\\Session Manager";

std::wstring tempFile(const wchar_t* name) {
    wchar_t dir[MAX_PATH];
    REQUIRE(GetTempPathW(MAX_PATH, dir) > 0);
    const std::wstring path = std::wstring(dir) + name;
    SetFileAttributesW(path.c_str(), FILE_ATTRIBUTE_NORMAL);
    DeleteFileW(path.c_str());
    win32::UniqueHandle file(CreateFileW(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                                         nullptr));
    REQUIRE(file.get() != INVALID_HANDLE_VALUE);
    return path;
}

bool exists(const std::wstring& path) { return GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES; }

bool goneWithin(const std::wstring& path, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (exists(path) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100ms);
    return !exists(path);
}

// PendingFileRenameOperations: pairs of NUL-terminated strings (from, to), to empty = delete.
std::vector<std::wstring> pendingRenames() {
    HKEY raw = nullptr;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, kSessionManager, 0, KEY_QUERY_VALUE, &raw) != ERROR_SUCCESS) return {};
    win32::UniqueKey key(raw);
    DWORD type = 0, bytes = 0;
    if (RegQueryValueExW(key.get(), L"PendingFileRenameOperations", nullptr, &type, nullptr, &bytes) != ERROR_SUCCESS ||
        type != REG_MULTI_SZ) {
        return {};
    }
    std::vector<wchar_t> data(bytes / sizeof(wchar_t) + 2, L'\0');
    REQUIRE(RegQueryValueExW(key.get(), L"PendingFileRenameOperations", nullptr, &type,
                             reinterpret_cast<BYTE*>(data.data()), &bytes) == ERROR_SUCCESS);
    std::vector<std::wstring> out;
    std::size_t at = 0, end = bytes / sizeof(wchar_t);
    while (at < end) {
        std::wstring s(data.data() + at);
        at += s.size() + 1;
        out.push_back(s);
    }
    return out;
}

bool pendingDelete(const std::wstring& path) {
    const auto entries = pendingRenames();
    for (std::size_t i = 0; i + 1 < entries.size(); ++i) {
        if (entries[i] == L"\\??\\" + path && entries[i + 1].empty()) return true;
    }
    return false;
}

// Starts `command` and waits (at most `limit`) for it to exit; its exit code, or -1.
long runCommand(std::wstring command, std::chrono::milliseconds limit) {
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION process{};
    if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr, nullptr, &startup,
                        &process)) {
        return -1;
    }
    win32::UniqueHandle thread(process.hThread), owned(process.hProcess);
    if (WaitForSingleObject(owned.get(), static_cast<DWORD>(limit.count())) != WAIT_OBJECT_0) return -1;
    DWORD code = 0;
    GetExitCodeProcess(owned.get(), &code);
    return static_cast<long>(code);
}

// How many processes run `image` (e.g. L"cmd.exe"): tells a helper that died from one that
// is still trying, when a deletion does not happen.
int processesNamed(const wchar_t* image) {
    win32::UniqueHandle snapshot(CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (snapshot.get() == INVALID_HANDLE_VALUE) return -1;
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    int count = 0;
    for (BOOL more = Process32FirstW(snapshot.get(), &entry); more; more = Process32NextW(snapshot.get(), &entry)) {
        if (_wcsicmp(entry.szExeFile, image) == 0) ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("a file held open without FILE_SHARE_DELETE is refused now and scheduled for the next reboot") {
    const std::wstring path = tempFile(L"guru-held-open.exe");
    const std::string utf8 = win32::narrow(path);
    win32::UniqueHandle held(CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                                         FILE_ATTRIBUTE_NORMAL, nullptr));
    REQUIRE(held.get() != INVALID_HANDLE_VALUE);
    auto remover = openFileRemover();
    const DeleteAnswer now = remover->deleteNow(utf8);
    CHECK(now.outcome == DeleteNow::Refused);
    CHECK(now.detail.find("sharing violation") != std::string::npos);
    CHECK(exists(path));

    auto later = remover->scheduleLater(utf8);
    REQUIRE(later);
    if (later->how == DeferredDeletion::PendingRename) {  // an administrator, or Wine
        CHECK(pendingDelete(path));
        // MoveFileExW has no way to take an entry back: the next boot finds the file gone.
    } else {  // a standard user on real Windows
        CHECK(later->how == DeferredDeletion::RunOnce);
        HKEY raw = nullptr;
        REQUIRE(RegOpenKeyExW(HKEY_CURRENT_USER, win32::kUserRunOnce.subkey.c_str(), 0, KEY_ALL_ACCESS, &raw) ==
                ERROR_SUCCESS);
        win32::UniqueKey key(raw);
        CHECK(win32::readString(key.get(), win32::widen(runOnceValueName(utf8)).c_str()));
        RegDeleteValueW(key.get(), win32::widen(runOnceValueName(utf8)).c_str());
    }
    held.reset();
    CHECK(DeleteFileW(path.c_str()));
}

TEST_CASE("a RunOnce value's command deletes the file, and each file has a value of its own") {
    const win32::RegistryLocation runOnce{HKEY_CURRENT_USER, L"Software\\GuruConnect\\Tests\\RunOnce"};
    LSTATUS status = 0;
    (void)win32::deleteTree(runOnce, status);
    const std::wstring first = tempFile(L"guru run-once & (1).exe");  // cmd.exe syntax, quoted
    const std::wstring second = tempFile(L"guru-run-once-2.exe");
    auto a = win32::addRunOnceDeletion(runOnce, win32::narrow(first));
    auto b = win32::addRunOnceDeletion(runOnce, win32::narrow(second));
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a != *b);
    win32::UniqueKey key;
    REQUIRE(win32::openKeyForReading(runOnce, key) == ERROR_SUCCESS);
    const auto command = win32::readString(key.get(), win32::widen(*a).c_str());
    REQUIRE(command);
    CHECK(win32::narrow(*command).find("/c del /f /q \"" + win32::narrow(first) + "\"") != std::string::npos);
    SetFileAttributesW(first.c_str(), FILE_ATTRIBUTE_READONLY);  // del /f removes it still
    CHECK(runCommand(*command, 30s) == 0);
    CHECK(!exists(first));
    CHECK(exists(second));  // its own value, not run yet
    CHECK(win32::deleteTree(runOnce, status));
    CHECK(DeleteFileW(second.c_str()));

    const auto unsafe = win32::addRunOnceDeletion(runOnce, "C:\\Users\\x\\100%PATH%.exe");
    REQUIRE(!unsafe);
    CHECK(unsafe.error().kind == ScheduleErrorKind::UnsafePath);
}

TEST_CASE("a running image is deleted by the cmd.exe helper once its process has exited") {
    auto self = ownExecutablePath();
    REQUIRE(self);
    const std::wstring dir = win32::widen(self->substr(0, self->find_last_of('\\') + 1));
    const std::wstring copy = tempFile(L"guru-running-holder.exe");
    REQUIRE(CopyFileW((dir + L"guru-wine-file-holder.exe").c_str(), copy.c_str(), FALSE));
    const std::wstring target = tempFile(L"guru-holder-target.txt");
    const std::wstring ready = target + L".ready";
    DeleteFileW(ready.c_str());
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION process{};
    std::wstring command = L"\"" + copy + L"\" \"" + target + L"\" \"" + ready + L"\"";
    REQUIRE(CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr, nullptr,
                           &startup, &process));
    win32::UniqueHandle thread(process.hThread), running(process.hProcess);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!exists(ready) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    REQUIRE(exists(ready));

    const DeleteAnswer now = openFileRemover()->deleteNow(win32::narrow(copy));
    CHECK(now.outcome == DeleteNow::AfterExit);
    CHECK(exists(copy));  // still running
    // Held for 3 s, so the helper's first tries fail and it must try again after the exit (a
    // helper that tried once at start, as `do @(…)` did under Wine, leaves the file).
    const auto heldUntil = std::chrono::steady_clock::now() + 3s;
    bool keptWhileRunning = true;
    while (std::chrono::steady_clock::now() < heldUntil) {
        keptWhileRunning = keptWhileRunning && exists(copy);
        std::this_thread::sleep_for(100ms);
    }
    CHECK(keptWhileRunning);
    CHECK(DeleteFileW(ready.c_str()));  // lets the holder exit
    CHECK(WaitForSingleObject(running.get(), 20000) == WAIT_OBJECT_0);
    const bool gone = goneWithin(copy, 40s);
    INFO("cmd.exe processes still running: " << processesNamed(L"cmd.exe"));
    CHECK(gone);
    CHECK(DeleteFileW(target.c_str()));
}

TEST_CASE("a file that is not there is Missing") {
    CHECK(openFileRemover()->deleteNow("C:\\guru-no-such-file.exe").outcome == DeleteNow::Missing);
    CHECK(openFileRemover()->deleteNow("").outcome == DeleteNow::Missing);
}
