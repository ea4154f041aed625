// The relaunch of platform/elevation.h under Wine: ShellExecuteExW "runas" starts the child (a
// stand-in, guru-wine-handover-child.exe), the pipe is created first with a DACL of its own,
// the child is checked to be the process started, gets the offer and answers; a child that
// exits early or does not answer ends the relaunch with Failed, and giving up stops the child.
// The UAC prompt itself (and declining it) needs real Windows (platform/win32/README.md).
#include <doctest/doctest.h>

#include <windows.h>

#include <atomic>
#include <thread>

#include "platform/elevation.h"
#include "platform/process.h"

using namespace guru;
using namespace guru::platform;

namespace {

std::string childProgram() {
    auto self = ownExecutablePath();
    REQUIRE(self);
    return self->substr(0, self->find_last_of('\\') + 1) + "guru-wine-handover-child.exe";
}

std::string uniquePipe(const char* tag) {
    // 32 hex digits after the prefix, as handover::pipeName makes them (the platform does not check).
    char digits[33];
    std::snprintf(digits, sizeof digits, "%08lx%08lx%016llx", GetCurrentProcessId(), GetTickCount(),
                  static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(tag)));
    return std::string("guruconnect-elevate-") + digits;
}

RelaunchOutcome waitFor(ElevatedRelaunch& relaunch) {
    for (int i = 0; i < 600; ++i) {  // 60 s at most
        if (auto outcome = relaunch.poll()) return *outcome;
        Sleep(100);
    }
    FAIL("the relaunch did not end in 60 s");
    return {};
}

RelaunchRequest request(const std::string& mode, std::atomic<int>* before) {
    RelaunchRequest r;
    r.pipeName = uniquePipe(mode.c_str());
    r.program = childProgram();
    r.arguments = {mode};
    const std::string offer = "GCHAND01-test-offer";
    r.offer = Bytes(asBytes(offer).begin(), asBytes(offer).end());
    r.beforeOffer = [before] { ++*before; };
    r.timeout = std::chrono::seconds(30);
    return r;
}

}  // namespace

TEST_CASE("the child started through runas gets the offer and answers") {
    REQUIRE(canRelaunchElevated());
    std::atomic<int> before{0};
    auto started = startElevatedRelaunch(request("answer", &before));
    REQUIRE(started);
    const RelaunchOutcome outcome = waitFor(**started);
    INFO(outcome.detail);
    REQUIRE(outcome.end == RelaunchEnd::Answered);
    const std::string connected = "GCHAND01\x01";
    CHECK(outcome.answer == Bytes(asBytes(connected).begin(), asBytes(connected).end()));
    CHECK(before.load() == 1);  // the owner heard of the child before the offer went
}

TEST_CASE("a child that exits before opening the pipe, or without answering, fails the relaunch") {
    std::atomic<int> before{0};
    auto early = startElevatedRelaunch(request("exit", &before));
    REQUIRE(early);
    RelaunchOutcome outcome = waitFor(**early);
    CHECK(outcome.end == RelaunchEnd::Failed);
    CHECK(outcome.detail.find("exited (code 3) before opening the handover pipe") != std::string::npos);
    CHECK(before.load() == 0);  // no offer was written to anyone

    auto silent = startElevatedRelaunch(request("silent", &before));
    REQUIRE(silent);
    outcome = waitFor(**silent);
    CHECK(outcome.end == RelaunchEnd::Failed);
    CHECK(outcome.detail.find("without answering") != std::string::npos);
    CHECK(before.load() == 1);
}

TEST_CASE("a pipe name squatted before the relaunch never carries the offer") {
    std::atomic<int> before{0};
    RelaunchRequest r = request("silent", &before);
    const std::string name = r.pipeName;
    // Squat the name first. Windows refuses the relaunch's FILE_FLAG_FIRST_PIPE_INSTANCE pipe
    // (CreateNamedPipe: access denied); Wine 8 ignores the flag and makes a second instance, and
    // the child then reaches the squatter's instance, which has no offer for it. Either way no
    // offer is written and the relaunch fails.
    const std::wstring path = L"\\\\.\\pipe\\" + std::wstring(name.begin(), name.end());
    HANDLE squatter = CreateNamedPipeW(path.c_str(), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE, 4, 512, 512, 0, nullptr);
    REQUIRE(squatter != INVALID_HANDLE_VALUE);
    auto started = startElevatedRelaunch(std::move(r));
    REQUIRE(started);
    const RelaunchOutcome outcome = waitFor(**started);
    CloseHandle(squatter);
    INFO(outcome.detail);
    CHECK(outcome.end == RelaunchEnd::Failed);
    CHECK((outcome.detail.find("CreateNamedPipe") != std::string::npos ||
           outcome.detail.find("before opening the handover pipe") != std::string::npos));
    CHECK(before.load() == 0);
}

TEST_CASE("the child's end refuses a pipe that does not exist") {
    auto channel = openHandoverChannel(uniquePipe("none"));
    REQUIRE_FALSE(channel);
    CHECK(channel.error() == ElevationError::SystemError);
}
