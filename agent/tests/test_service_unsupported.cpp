// The POSIX build has no service mode (systemd runs the agent there): every service command
// says Unsupported and exits 2. CMake builds this test only where platform/posix is the backend.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_args.h"
#include "options.h"
#include "platform/service.h"
#include "service_commands.h"

using namespace guru;
using namespace guru::platform::service;

using guru::testing::parseArgs;

TEST_CASE("Linux: the service commands are Unsupported and exit 2") {
    CHECK_FALSE(supported());
    const AgentEntryPoints agent{[](const AgentConfig&) { return true; }, [](const AgentConfig&) { return 0; }};
    bool ok = false;
    for (const char* flag : {"--install", "--uninstall", "--service", "--session-helper"}) {
        CAPTURE(flag);
        auto o = parseArgs({flag}, ok);
        CHECK(runServiceCommand(o, agent) == 2);
    }
    // --open-url runs on Linux too, but with no --server and nothing installed it has no server.
    CHECK(runServiceCommand(parseArgs({"--open-url", "guruconnect://session/123456"}, ok), agent) == 2);
    CHECK(installedServer().error() == ServiceError::Unsupported);
    CHECK_FALSE(runServiceCommand(parseArgs({"--info"}, ok), agent).has_value());
    CHECK(installService({}, {}).error() == ServiceError::Unsupported);
}
