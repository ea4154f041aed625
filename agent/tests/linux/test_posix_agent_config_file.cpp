// The enrolled agent's configuration file on POSIX: written 0600 under 0700 parents,
// rewritten in place, refused when too open, invalid or reached through a symlink.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "core/stored_agent_config.h"
#include "platform/agent_config_store.h"
#include "tests/sample_agent_config.h"

using namespace guru;
using namespace guru::unattended;
using guru::unattended::testing::sampleConfig;

namespace {

std::string tempDir() {
    char pattern[] = "/tmp/guru-unattended-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    return pattern;
}

}  // namespace

TEST_CASE("the configuration file is written 0600 (parents 0700), read back, and refused when too open") {
    const std::string dir = tempDir();
    const std::string path = dir + "/etc/guruconnect/agent.json";
    CHECK(platform::readStoredConfig(path).error().error == platform::ConfigFileError::NotFound);
    REQUIRE(platform::writeStoredConfig(path, sampleConfig()).ok());
    struct stat info {};
    REQUIRE(stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(stat((dir + "/etc/guruconnect").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    auto back = platform::readStoredConfig(path);
    REQUIRE(back.ok());
    CHECK(*back == sampleConfig());

    // Rewritten in place (a --reconfigure): still 0600, no temporary file left.
    StoredAgentConfig edited = sampleConfig();
    edited.metadata.site = "New York Office";
    REQUIRE(platform::writeStoredConfig(path, edited).ok());
    CHECK(platform::readStoredConfig(path)->metadata.site == "New York Office");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir + "/etc/guruconnect")) ++entries;
    CHECK(entries == 1);

    REQUIRE(chmod(path.c_str(), 0644) == 0);
    CHECK(platform::readStoredConfig(path).error().error == platform::ConfigFileError::TooOpen);
    REQUIRE(chmod(path.c_str(), 0600) == 0);
    {
        std::unique_ptr<std::FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "w"), &std::fclose);
        std::fputs("{\"server\":1}", f.get());
    }
    auto invalid = platform::readStoredConfig(path);
    CHECK(invalid.error().error == platform::ConfigFileError::Invalid);
    CHECK(invalid.error().invalid.field == "server");
    // A symlink is not followed (a planted link to another file is not read nor replaced).
    const std::string link = dir + "/link.json";
    REQUIRE(symlink(path.c_str(), link.c_str()) == 0);
    CHECK(platform::readStoredConfig(link).error().error == platform::ConfigFileError::Unreadable);
    CHECK(platform::storedConfigLocation("") == "/etc/guruconnect/agent.json");
    CHECK(platform::storedConfigLocation("/tmp/x.json") == "/tmp/x.json");
    std::filesystem::remove_all(dir);
}
