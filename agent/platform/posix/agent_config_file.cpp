// The stored configuration as a 0600 JSON file (platform/agent_config_store.h).
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>

#include "platform/agent_config_store.h"

namespace guru::platform {
namespace {

// Closes a descriptor on every path out.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

// mkdir for each missing parent folder, 0700 (an existing one is left as it is).
bool makeParents(const std::string& path) {
    for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
        const std::string dir = path.substr(0, at);
        if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    return true;
}

bool writeAll(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

Result<unattended::StoredAgentConfig, ConfigFileFailure> readStoredConfig(const std::string& path) {
    auto fail = [](ConfigFileError e) { return Failure{ConfigFileFailure{e, {}}}; };
    Fd file{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (file.fd < 0) return fail(errno == ENOENT ? ConfigFileError::NotFound : ConfigFileError::Unreadable);
    struct stat info {};
    if (fstat(file.fd, &info) != 0 || !S_ISREG(info.st_mode)) return fail(ConfigFileError::Unreadable);
    if ((info.st_mode & 077) != 0) return fail(ConfigFileError::TooOpen);
    if (static_cast<std::size_t>(info.st_size) > unattended::kMaxStoredConfig) {
        return Failure{ConfigFileFailure{ConfigFileError::Invalid, {unattended::StoredConfigError::MalformedJson, {}}}};
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(file.fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ConfigFileError::Unreadable);
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > unattended::kMaxStoredConfig) break;
    }
    auto config = unattended::storedConfigFromJson(text);
    if (!config) return Failure{ConfigFileFailure{ConfigFileError::Invalid, config.error()}};
    return std::move(*config);
}

Outcome<ConfigFileError> writeStoredConfig(const std::string& path, const unattended::StoredAgentConfig& config) {
    if (path.empty() || !makeParents(path)) return Failure{ConfigFileError::Unwritable};
    const std::string temporary = path + ".tmp." + std::to_string(getpid());
    unlink(temporary.c_str());  // a leftover of a crashed write by a process with our pid
    {
        Fd file{open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
        if (file.fd < 0) return Failure{ConfigFileError::Unwritable};
        // The umask cannot widen 0600, but an inherited ACL default could: make it exact.
        if (fchmod(file.fd, 0600) != 0 || !writeAll(file.fd, unattended::toJson(config)) || fsync(file.fd) != 0) {
            unlink(temporary.c_str());
            return Failure{ConfigFileError::Unwritable};
        }
    }
    if (rename(temporary.c_str(), path.c_str()) != 0) {
        unlink(temporary.c_str());
        return Failure{ConfigFileError::Unwritable};
    }
    return Unit{};
}

std::string storedConfigLocation(const std::string& configFlag) {
    return configFlag.empty() ? kDefaultAgentConfigFile : configFlag;
}

std::string absolutePath(const std::string& path) {
    std::unique_ptr<char, decltype(&std::free)> real(realpath(path.c_str(), nullptr), &std::free);
    return real ? std::string(real.get()) : path;
}

std::string machineHostname() {
    char name[HOST_NAME_MAX + 1] = {};
    if (gethostname(name, sizeof name - 1) != 0) return {};
    return name;
}

}  // namespace guru::platform
