// SIGINT/SIGTERM handling by sigwait(): no async-signal handler, no globals.
#include <signal.h>

#include "platform/process.h"

namespace guru::platform {

namespace {
sigset_t terminationSet() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}
}  // namespace

void blockTerminationSignals() {
    ::signal(SIGPIPE, SIG_IGN);  // a dropped socket is an error value, not a signal
    const sigset_t set = terminationSet();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

const char* waitForTermination() {
    const sigset_t set = terminationSet();
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

const char* waitForTermination(std::chrono::milliseconds timeout) {
    const sigset_t set = terminationSet();
    const auto ms = timeout.count() > 0 ? timeout.count() : 0;
    timespec wait{static_cast<time_t>(ms / 1000), static_cast<long>((ms % 1000) * 1000000)};
    const int sig = sigtimedwait(&set, nullptr, &wait);
    if (sig == SIGINT) return "SIGINT";
    if (sig == SIGTERM) return "SIGTERM";
    return nullptr;  // timeout (EAGAIN) or interrupted by another signal (EINTR)
}

}  // namespace guru::platform
