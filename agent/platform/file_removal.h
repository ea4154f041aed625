// Removing the one-time support agent's file, and the OS's ways to remove it later when it
// cannot go now (docs/support.md §4). core/self_deletion.h decides which to use; the
// backends are platform/posix/posix_file_removal.cpp and platform/win32/win32_file_removal.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace guru::platform {

/// What became of a delete asked for now.
enum class DeleteNow : std::uint8_t {
    Deleted,    ///< the file is gone
    AfterExit,  ///< it is the running image (Windows): a helper deletes it once this process exits
    Missing,    ///< there was no such file
    Refused,    ///< the OS refused (held open, read-only place, permissions): `detail` says why
};

/// The answer to deleteNow: the outcome and, for AfterExit or Refused, the OS's words.
struct DeleteAnswer {
    DeleteNow outcome = DeleteNow::Refused;
    std::string detail;
};

/// Where a later deletion was recorded.
enum class DeferredDeletion : std::uint8_t {
    PendingRename,   ///< Windows: MoveFileExW(MOVEFILE_DELAY_UNTIL_REBOOT), HKLM PendingFileRenameOperations
    RunOnce,         ///< Windows: a value under HKCU\...\RunOnce running `cmd.exe /c del`
    LoginAutostart,  ///< Linux: an XDG autostart entry in ~/.config/autostart that removes the file and itself
};

/// A deletion recorded for the next reboot or login: how, and where (registry value or file).
struct ScheduledDeletion {
    DeferredDeletion how = DeferredDeletion::PendingRename;
    std::string where;
};

/// Why no later deletion could be recorded.
enum class ScheduleErrorKind : std::uint8_t {
    UnsafePath,   ///< the path cannot be written into the cleanup command without changing its meaning
    NoPlace,      ///< no place to record it (Linux: neither XDG_CONFIG_HOME nor HOME is an absolute path)
    WriteFailed,  ///< the registry or the file refused the write: `detail` says why
};

/// A failure of scheduleLater, with the OS's words.
struct ScheduleError {
    ScheduleErrorKind kind = ScheduleErrorKind::WriteFailed;
    std::string detail;
};

/// The OS's part of self-deletion; a fake stands in for it in the unit tests.
class FileRemover {
public:
    virtual ~FileRemover() = default;
    /// Deletes `path` now, or (the running .exe on Windows) as soon as this process exits.
    virtual DeleteAnswer deleteNow(const std::string& path) = 0;
    /// Records the deletion of `path` for the next reboot (Windows) or login (Linux).
    virtual Result<ScheduledDeletion, ScheduleError> scheduleLater(const std::string& path) = 0;
};

/// This OS's FileRemover.
std::unique_ptr<FileRemover> openFileRemover();

const char* name(DeferredDeletion how);
const char* name(ScheduleErrorKind kind);

// The text of the cleanup commands, built here so that every OS's tests check its quoting.

/// The RunOnce command deleting `path`: `"<cmdExe>" /d /q /v:off /c del /f /q "<path>"`.
/// Nothing if the path holds a character cmd.exe would read as syntax even inside quotes
/// (`"`, `%`, `!`) or a control character: such a command could delete something else.
std::optional<std::string> runOnceDeleteCommand(std::string_view cmdExe, std::string_view path);

/// A RunOnce value name of its own for each path (the same path, the same name), so that a
/// second pending file does not overwrite the first: "GuruConnect cleanup <16 hex digits>".
std::string runOnceValueName(std::string_view path);

/// The autostart file's name for `path`: "guruconnect-cleanup-<16 hex digits>.desktop".
std::string autostartFileName(std::string_view path);

/// The XDG autostart entry (Desktop Entry Specification 1.5) that, at the next login,
/// removes `path` and then, once the file is gone, `entryPath` (the entry itself). Nothing if
/// either path holds a control character (a line break would end the Exec key).
std::optional<std::string> autostartEntry(std::string_view path, std::string_view entryPath);

}  // namespace guru::platform
