// Self-deletion on Linux: unlink at once (the running image stays mapped until exit); when
// that is refused (a directory the user cannot write, an immutable file, a read-only mount),
// an XDG autostart entry removes the file at the next graphical login, then itself.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "platform/file_removal.h"

namespace guru::platform {
namespace {

std::string errnoText(int error) { return std::string(std::strerror(error)) + " (errno " + std::to_string(error) + ")"; }

// $XDG_CONFIG_HOME/autostart, or $HOME/.config/autostart; relative values are ignored, as
// the XDG Base Directory Specification says.
std::optional<std::string> autostartDirectory() {
    const char* config = std::getenv("XDG_CONFIG_HOME");
    if (config && config[0] == '/') return std::string(config) + "/autostart";
    const char* home = std::getenv("HOME");
    if (home && home[0] == '/') return std::string(home) + "/.config/autostart";
    return std::nullopt;
}

// mkdir -p with 0700 for what it creates (only the user's own cleanup lives there).
bool makeDirectories(const std::string& path) {
    for (std::size_t at = 1; at <= path.size(); ++at) {
        if (at != path.size() && path[at] != '/') continue;
        const std::string prefix = path.substr(0, at);
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    return true;
}

class PosixFileRemover final : public FileRemover {
public:
    DeleteAnswer deleteNow(const std::string& path) override {
        if (path.empty()) return {DeleteNow::Missing, {}};
        if (::unlink(path.c_str()) == 0) return {DeleteNow::Deleted, {}};
        const int error = errno;
        if (error == ENOENT) return {DeleteNow::Missing, {}};
        return {DeleteNow::Refused, errnoText(error)};
    }

    Result<ScheduledDeletion, ScheduleError> scheduleLater(const std::string& path) override {
        const auto directory = autostartDirectory();
        if (!directory) return Failure(ScheduleError{ScheduleErrorKind::NoPlace, "no XDG_CONFIG_HOME or HOME"});
        const std::string entryPath = *directory + "/" + autostartFileName(path);
        const auto entry = autostartEntry(path, entryPath);
        if (!entry) return Failure(ScheduleError{ScheduleErrorKind::UnsafePath, "a control character in the path"});
        if (!makeDirectories(*directory)) {
            return Failure(ScheduleError{ScheduleErrorKind::WriteFailed, *directory + ": " + errnoText(errno)});
        }
        // Written beside and renamed over, so a login never reads half an entry.
        const std::string partial = entryPath + ".partial";
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) return Failure(ScheduleError{ScheduleErrorKind::WriteFailed, partial + ": " + errnoText(errno)});
        std::size_t written = 0;
        while (written < entry->size()) {
            const ssize_t n = ::write(fd, entry->data() + written, entry->size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        const int writeError = errno;
        const bool closed = ::close(fd) == 0;
        if (written != entry->size() || !closed || ::rename(partial.c_str(), entryPath.c_str()) != 0) {
            const int error = written != entry->size() ? writeError : errno;
            ::unlink(partial.c_str());
            return Failure(ScheduleError{ScheduleErrorKind::WriteFailed, entryPath + ": " + errnoText(error)});
        }
        return ScheduledDeletion{DeferredDeletion::LoginAutostart, entryPath};
    }
};

}  // namespace

std::unique_ptr<FileRemover> openFileRemover() { return std::make_unique<PosixFileRemover>(); }

}  // namespace guru::platform
