// The running executable's path, and deleting it (one-time support agent), on POSIX.
#include <unistd.h>

#include <array>

#include "platform/process.h"

namespace guru::platform {

std::optional<std::string> ownExecutablePath() {
    std::array<char, 4096> buffer{};
    const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size());
    if (n <= 0 || static_cast<std::size_t>(n) >= buffer.size()) return std::nullopt;
    return std::string(buffer.data(), static_cast<std::size_t>(n));
}

bool deleteExecutable(const std::string& path) { return !path.empty() && ::unlink(path.c_str()) == 0; }

bool hideOwnConsoleWindow() { return false; }

const char* portalPlatformName() { return "linux"; }

}  // namespace guru::platform
