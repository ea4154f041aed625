// The running executable's path on POSIX (deleting it: posix_file_removal.cpp).
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

bool hideOwnConsoleWindow() { return false; }

const char* portalPlatformName() { return "linux"; }

}  // namespace guru::platform
