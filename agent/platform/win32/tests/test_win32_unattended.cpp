// The enrolled agent's Windows parts under Wine (or Windows), in keys of this run under HKCU:
// the metadata stored beside the DPAPI credential and read back (what --reconfigure edits and
// every check-in reads), an agent installed with --credential reading as not enrolled, and the
// MSI's properties read and their key deleted at once.
#include <doctest/doctest.h>
#include <windows.h>

#include <string>

#include "platform/agent_config_store.h"
#include "platform/win32/win32_agent_config.h"

using namespace guru;
using namespace guru::platform;
using namespace guru::platform::win32;
using service::AgentConfig;
using service::ServiceError;

namespace {

RegistryLocation testKey(const std::wstring& leaf) {
    return {HKEY_CURRENT_USER, L"Software\\GuruConnectTest\\" + std::to_wstring(GetCurrentProcessId()) + L"\\" + leaf};
}

struct TestKeysCleanup {
    ~TestKeysCleanup() {
        LSTATUS status = ERROR_SUCCESS;
        deleteTree({HKEY_CURRENT_USER, L"Software\\GuruConnectTest\\" + std::to_wstring(GetCurrentProcessId())}, status);
    }
};

bool keyExists(const RegistryLocation& at) {
    UniqueKey key;
    return openKeyForReading(at, key) == ERROR_SUCCESS;
}

AgentConfig enrolledConfig() {
    AgentConfig c;
    c.server = "wss://guru.example.com/api/agent/ws";
    c.agentId = "00112233445566778899aabbccddeeff";
    c.credential = "issued-credential-77";
    c.enrolled = true;
    c.metadata.company = "Glaztech";
    c.metadata.site = "Phoenix Office";
    c.metadata.deviceType = "laptop";
    c.metadata.properties = {{"Asset", "A-17"}};
    return c;
}

}  // namespace

TEST_CASE("an enrolled agent's metadata is stored beside the credential and read back") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"Agent");
    REQUIRE(writeAgentConfig(at, enrolledConfig(), nullptr).ok());
    auto read = readAgentConfig(at);
    REQUIRE(read.ok());
    CHECK(read->enrolled);
    CHECK(read->metadata == enrolledConfig().metadata);
    CHECK(read->credential == "issued-credential-77");

    // --reconfigure's write: the metadata changes, the rest stays.
    AgentConfig edited = *read;
    edited.metadata.site = "New York Office";
    REQUIRE(writeAgentConfig(at, edited, nullptr).ok());
    read = readAgentConfig(at);
    REQUIRE(read.ok());
    CHECK(read->metadata.site == "New York Office");
    CHECK(read->metadata.company == "Glaztech");
    CHECK(read->credential == "issued-credential-77");

    // Damaged metadata is ConfigInvalid, not an empty machine.
    {
        UniqueKey key;
        REQUIRE(createKey(at, key) == ERROR_SUCCESS);
        REQUIRE(setString(key.get(), L"Metadata", L"{\"deviceType\":\"toaster\"}") == ERROR_SUCCESS);
    }
    CHECK(readAgentConfig(at).error() == ServiceError::ConfigInvalid);
}

TEST_CASE("an agent installed with --credential is not enrolled and has no metadata") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"Agent");
    AgentConfig plain = enrolledConfig();
    plain.enrolled = false;
    REQUIRE(writeAgentConfig(at, plain, nullptr).ok());
    auto read = readAgentConfig(at);
    REQUIRE(read.ok());
    CHECK_FALSE(read->enrolled);
    CHECK(read->metadata == inventory::MachineMetadata{});
}

TEST_CASE("the MSI's properties are read and their key deleted at once") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"MsiProperties");
    CHECK(takeMsiPropertiesAt(at).error() == ServiceError::ConfigMissing);
    {
        UniqueKey key;
        REQUIRE(createKey(at, key) == ERROR_SUCCESS);
        const std::pair<const wchar_t*, const wchar_t*> values[] = {
            {L"SERVER", L"https://guru.example.com"}, {L"ENROLLTOKEN", L"msi-token-1"}, {L"COMPANY", L"Glaztech"},
            {L"SITE", L"Phoenix Office"},           {L"DEVICETYPE", L"server"},        {L"TAG", L"Rack 2"}};
        for (const auto& [name, value] : values) REQUIRE(setString(key.get(), name, value) == ERROR_SUCCESS);
    }
    auto taken = takeMsiPropertiesAt(at);
    REQUIRE(taken.ok());
    CHECK(taken->server == "https://guru.example.com");
    CHECK(taken->enrolToken == "msi-token-1");
    CHECK(taken->company == "Glaztech");
    CHECK(taken->site == "Phoenix Office");
    CHECK(taken->department.empty());  // not given
    CHECK(taken->deviceType == "server");
    CHECK(taken->tag == "Rack 2");
    CHECK_FALSE(keyExists(at));
    CHECK(takeMsiPropertiesAt(at).error() == ServiceError::ConfigMissing);
}

TEST_CASE("the stored configuration lives in the registry: a file location is not this OS's") {
    CHECK(readStoredConfig("C:\\agent.json").error().error == ConfigFileError::Unsupported);
    CHECK(storedConfigLocation("").empty());
    CHECK_FALSE(machineHostname().empty());
    CHECK(absolutePath("ca.pem").size() > 6);
}
