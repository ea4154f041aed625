// uname/gethostname/getpwuid_r wrappers.
#include "platform/x11/posix_system_info.h"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>

namespace guru::platform::x11 {

SystemDescription PosixSystemInfo::describe() {
    SystemDescription out;
    utsname u{};
    if (uname(&u) == 0) {
        out.osName = u.sysname;
        out.osVersion = u.release;
        out.architecture = u.machine;
        out.hostname = u.nodename;
    }
    std::array<char, 4096> buffer{};
    passwd pw{};
    passwd* found = nullptr;
    if (getpwuid_r(getuid(), &pw, buffer.data(), buffer.size(), &found) == 0 && found) {
        out.userName = found->pw_name;
    }
    return out;
}

}  // namespace guru::platform::x11
