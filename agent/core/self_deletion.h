// The one-time support agent's last step: delete its own file, or, when the OS refuses,
// record the deletion for the next reboot (Windows) or login (Linux), and say which.
#pragma once

#include <cstdint>
#include <string>

#include "core/log.h"
#include "platform/file_removal.h"

namespace guru {

/// What became of the file.
enum class SelfDeletion : std::uint8_t {
    Deleted,           ///< gone now (or it was gone already)
    DeletedAfterExit,  ///< a helper deletes it once this process has exited (the running .exe)
    Scheduled,         ///< refused now; recorded for the next reboot or login
    Kept,              ///< refused now, and it could not be recorded either
};

/// Tries `remover.deleteNow(path)`; if the OS refuses, `remover.scheduleLater(path)`. Logs
/// one line naming the outcome (and the place the deletion was recorded).
SelfDeletion deleteOwnFile(platform::FileRemover& remover, const std::string& path, const LogSink& log);

const char* name(SelfDeletion outcome);

}  // namespace guru
