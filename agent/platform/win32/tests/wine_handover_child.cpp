// A stand-in for the elevated agent in test_win32_elevated_relaunch: started through
// ShellExecuteExW "runas" as `guru-wine-handover-child.exe --elevated-handover NAME MODE`.
//   answer   reads the offer; answers "GCHAND01" 01 if it is the test's fixed offer, else 02
//   silent   reads the offer, then exits (code 4) without answering
//   exit     exits at once (code 3), the pipe never opened
#include <cstdio>
#include <cstring>
#include <string>

#include "platform/elevation.h"

int main(int argc, char** argv) {
    using namespace guru;
    if (argc != 4 || std::strcmp(argv[1], "--elevated-handover") != 0) return 2;
    const std::string mode = argv[3];
    if (mode == "exit") return 3;
    auto channel = platform::openHandoverChannel(argv[2]);
    if (!channel) return 5;
    auto offer = (*channel)->read(256, std::chrono::seconds(10));
    if (!offer) return 6;
    if (mode == "silent") return 4;
    const std::string expected = "GCHAND01-test-offer";
    const bool same = offer->size() == expected.size() &&
                      std::memcmp(offer->data(), expected.data(), expected.size()) == 0;
    const std::string answer = std::string("GCHAND01") + (same ? '\x01' : '\x02');
    return (*channel)->write(asBytes(answer)) ? 0 : 7;
}
