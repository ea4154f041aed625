// read(2) loops with an owned descriptor; /proc files report size 0, so read until EOF.
#include "platform/linux/linux_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace guru::platform::linux_files {
namespace {

/// An open file descriptor, closed on every path out.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string errorText(int error) { return std::strerror(error); }

Result<std::string, std::string> readFrom(int fd, std::size_t limit) {
    std::string out;
    char buffer[16384];
    while (out.size() < limit) {
        const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, limit - out.size()));
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            return Failure{errorText(errno)};
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

}  // namespace

Result<std::string, std::string> readText(const std::string& path, std::size_t limit) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return Failure{errorText(errno)};
    return readFrom(fd.get(), limit);
}

Result<std::string, std::string> readTail(const std::string& path, std::size_t limit) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return Failure{errorText(errno)};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Failure{errorText(errno)};
    const auto size = static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 0);
    if (size > limit && ::lseek(fd.get(), static_cast<off_t>(size - limit), SEEK_SET) < 0)
        return Failure{errorText(errno)};
    return readFrom(fd.get(), limit);
}

}  // namespace guru::platform::linux_files
