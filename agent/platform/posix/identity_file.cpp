// The unattended agent's identity key in a file (platform/identity_store.h): the 32-byte seed
// as 64 hex digits, mode 0600 in a 0700 directory, created with O_EXCL so two agents starting
// at once cannot each write their own; a file others can read is refused.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "platform/identity_store.h"

namespace guru::platform {
namespace {

std::string defaultPath(const std::string& agentIdHex) {
    std::string base;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/') {
        base = state;
    } else if (const char* home = std::getenv("HOME"); home && *home == '/') {
        base = std::string(home) + "/.local/state";
    } else {
        return {};
    }
    return base + "/guruconnect/identity-" + agentIdHex + ".key";
}

// mkdir -p for the parent folders, the last one 0700.
bool makeParents(const std::string& path) {
    for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
        const std::string dir = path.substr(0, at);
        if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    return true;
}

std::string toHex(ByteView bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::byte b : bytes) {
        out += kDigits[static_cast<unsigned>(b) >> 4];
        out += kDigits[static_cast<unsigned>(b) & 0xF];
    }
    return out;
}

Result<crypto::IdentityKey, IdentityStoreError> readKey(int fd) {
    struct stat info {};
    if (fstat(fd, &info) != 0) return Failure{IdentityStoreError::Unreadable};
    if ((info.st_mode & 077) != 0) return Failure{IdentityStoreError::TooOpen};
    char text[80] = {};
    const ssize_t got = read(fd, text, sizeof text);
    if (got < 64) return Failure{IdentityStoreError::Corrupt};
    crypto::IdentitySeed seed{};
    for (std::size_t i = 0; i < seed.size(); ++i) {
        auto nibble = [](char c) {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        };
        const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return Failure{IdentityStoreError::Corrupt};
        seed[i] = static_cast<std::byte>(hi * 16 + lo);
    }
    auto key = crypto::IdentityKey::fromSeed(seed);
    if (!key) return Failure{IdentityStoreError::CryptoFailed};
    return std::move(*key);
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

}  // namespace

Result<crypto::IdentityKey, IdentityStoreError> loadOrCreateIdentity(const IdentityStoreOptions& options,
                                                                     const LogSink& log) {
    const std::string path = options.explicitPath.empty() ? defaultPath(options.agentIdHex) : options.explicitPath;
    if (path.empty()) return Failure{IdentityStoreError::NoLocation};
    Fd existing{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (existing.fd >= 0) return readKey(existing.fd);
    if (errno != ENOENT) return Failure{IdentityStoreError::Unreadable};

    auto key = crypto::IdentityKey::generate();
    if (!key) return Failure{IdentityStoreError::CryptoFailed};
    if (!makeParents(path)) return Failure{IdentityStoreError::Unwritable};
    Fd created{open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
    if (created.fd < 0) {
        if (errno != EEXIST) return Failure{IdentityStoreError::Unwritable};
        Fd raced{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};  // another start won
        if (raced.fd < 0) return Failure{IdentityStoreError::Unreadable};
        return readKey(raced.fd);
    }
    const std::string text = toHex(key->seed()) + "\n";
    if (write(created.fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) || fsync(created.fd) != 0) {
        unlink(path.c_str());
        return Failure{IdentityStoreError::Unwritable};
    }
    if (log) log("identity: created a new identity key in " + path);
    return std::move(*key);
}

}  // namespace guru::platform
