// Service mode's Windows parts that need no service manager and no elevation (real Windows,
// or Wine): the DPAPI-protected configuration round trip through the registry (the token
// never stored in clear), the guruconnect:// handler's keys, the stop event that ends
// waitForTermination(), and what the token and session APIs report here.
#include <doctest/doctest.h>
#include <windows.h>
#include <wtsapi32.h>

#include <algorithm>
#include <optional>
#include <cstring>
#include <string>
#include <vector>

#include "platform/process.h"
#include "platform/service.h"
#include "platform/win32/win32_agent_config.h"
#include "platform/win32/win32_handles.h"
#include "platform/win32/win32_sas_policy.h"
#include "platform/win32/win32_service_control.h"
#include "platform/win32/win32_session_launcher.h"
#include "platform/win32/win32_termination.h"
#include "platform/win32/win32_url_handler.h"

using namespace guru;
using namespace guru::platform;
using namespace guru::platform::win32;
using service::AgentConfig;
using service::ServiceError;

namespace {

// A key of this test run only, under HKCU (no elevation needed), removed at the end.
RegistryLocation testKey(const std::wstring& leaf) {
    return {HKEY_CURRENT_USER, L"Software\\GuruConnectTest\\" + std::to_wstring(GetCurrentProcessId()) + L"\\" + leaf};
}

struct TestKeysCleanup {
    ~TestKeysCleanup() {
        LSTATUS status = ERROR_SUCCESS;
        deleteTree({HKEY_CURRENT_USER, L"Software\\GuruConnectTest\\" + std::to_wstring(GetCurrentProcessId())}, status);
    }
};

bool contains(const std::vector<std::byte>& haystack, const void* needle, std::size_t size) {
    const auto* n = static_cast<const std::byte*>(needle);
    return std::search(haystack.begin(), haystack.end(), n, n + size) != haystack.end();
}

// The value exactly as stored: its type and bytes, without any typed helper in between.
std::vector<std::byte> rawValue(const RegistryLocation& at, const wchar_t* name, DWORD& type) {
    DWORD size = 0;
    type = REG_NONE;
    if (RegGetValueW(at.root, at.subkey.c_str(), name, RRF_RT_ANY, &type, nullptr, &size) != ERROR_SUCCESS) return {};
    std::vector<std::byte> bytes(size);
    if (RegGetValueW(at.root, at.subkey.c_str(), name, RRF_RT_ANY, &type, bytes.data(), &size) != ERROR_SUCCESS) return {};
    bytes.resize(size);
    return bytes;
}

std::wstring stringValue(const RegistryLocation& at, const wchar_t* name) {
    UniqueKey key;
    if (openKeyForReading(at, key) != ERROR_SUCCESS) return L"<no key>";
    return readString(key.get(), name).value_or(L"<no value>");
}

bool keyExists(const RegistryLocation& at) {
    UniqueKey key;
    return openKeyForReading(at, key) == ERROR_SUCCESS;
}

bool elevated() {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
    UniqueHandle owned(token);
    TOKEN_ELEVATION elevation{};
    DWORD size = 0;
    return GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size) && elevation.TokenIsElevated;
}

const AgentConfig kConfig{"wss://guru.example.com/api/agent/ws", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                          "tok_Secret-Credential-0123456789abcdef", "C:\\certs\\ca é.pem", true, {}, false, {}};

}  // namespace

TEST_CASE("DPAPI protects the credential and gives it back") {
    auto blob = protectCredential(kConfig.credential);
    REQUIRE(blob.ok());
    CHECK(blob->size() > kConfig.credential.size());
    CHECK_FALSE(contains(*blob, kConfig.credential.data(), kConfig.credential.size()));
    auto back = unprotectCredential(*blob);
    REQUIRE(back.ok());
    CHECK(*back == kConfig.credential);

    auto tampered = *blob;
    tampered[tampered.size() / 2] ^= std::byte{0x5a};
    CHECK(unprotectCredential(tampered).error() == ServiceError::ConfigInvalid);
    CHECK(unprotectCredential({}).error() == ServiceError::ConfigInvalid);
    const std::string clear = "not a DPAPI blob";
    CHECK(unprotectCredential(std::as_bytes(std::span(clear))).error() == ServiceError::ConfigInvalid);
}

TEST_CASE("the configuration round trips through the registry, the credential never in clear") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"Agent");
    CHECK(readAgentConfig(at).error() == ServiceError::ConfigMissing);
    REQUIRE(writeAgentConfig(at, kConfig, nullptr).ok());

    auto read = readAgentConfig(at);
    REQUIRE(read.ok());
    CHECK(read->server == kConfig.server);
    CHECK(read->agentId == kConfig.agentId);
    CHECK(read->credential == kConfig.credential);
    CHECK(read->caFile == kConfig.caFile);
    CHECK(read->pinCa);

    DWORD type = 0;
    const auto credential = rawValue(at, L"Credential", type);
    CHECK(type == REG_BINARY);
    REQUIRE_FALSE(credential.empty());
    const std::string& token = kConfig.credential;
    CHECK_FALSE(contains(credential, token.data(), token.size()));
    const std::wstring wide(token.begin(), token.end());
    CHECK_FALSE(contains(credential, wide.data(), wide.size() * sizeof(wchar_t)));
    CHECK_FALSE(contains(credential, token.data(), 8));  // not even a prefix
    // Nor anywhere else under the key.
    for (const wchar_t* name : {L"Server", L"AgentId", L"CaFile", L"PinCa"}) {
        const auto bytes = rawValue(at, name, type);
        CHECK_FALSE(contains(bytes, token.data(), token.size()));
        CHECK_FALSE(contains(bytes, wide.data(), wide.size() * sizeof(wchar_t)));
    }
    CHECK(stringValue(at, L"Server") == L"wss://guru.example.com/api/agent/ws");
    CHECK(rawValue(at, L"PinCa", type).size() == 4);
    CHECK(type == REG_DWORD);

    // Rewriting (a second --install) updates in place.
    AgentConfig changed = kConfig;
    changed.credential = "another-token";
    changed.caFile.clear();
    changed.pinCa = false;
    REQUIRE(writeAgentConfig(at, changed, nullptr).ok());
    read = readAgentConfig(at);
    REQUIRE(read.ok());
    CHECK(read->credential == "another-token");
    CHECK(read->caFile.empty());
    CHECK_FALSE(read->pinCa);

    CHECK(deleteAgentConfig(at).value());
    CHECK_FALSE(deleteAgentConfig(at).value());
    CHECK(readAgentConfig(at).error() == ServiceError::ConfigMissing);
}

TEST_CASE("--open-url's read of the installed server: no credential needed, none returned") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"LinkServer");
    CHECK(readAgentServer(at).error() == ServiceError::ConfigMissing);
    REQUIRE(writeAgentConfig(at, kConfig, nullptr).ok());
    UniqueKey key;
    REQUIRE(createKey(at, key) == ERROR_SUCCESS);
    // A credential blob that does not decrypt does not matter here: it is never read.
    REQUIRE(setBinary(key.get(), L"Credential", {std::byte{1}}) == ERROR_SUCCESS);
    auto read = readAgentServer(at);
    REQUIRE(read.ok());
    CHECK(read->server == kConfig.server);
    CHECK(read->caFile == kConfig.caFile);
    CHECK(read->pinCa);
    REQUIRE(RegDeleteValueW(key.get(), L"Server") == ERROR_SUCCESS);
    CHECK(readAgentServer(at).error() == ServiceError::ConfigInvalid);

    // What --install writes for the handler: the server, and no credential at all.
    const RegistryLocation link = testKey(L"ServerOnly");
    REQUIRE(writeAgentServer(link, kConfig, nullptr).ok());
    DWORD type = REG_NONE;
    CHECK(rawValue(link, L"Credential", type).empty());
    CHECK(readAgentServer(link)->server == kConfig.server);
    CHECK(readAgentServer(link)->pinCa);
    CHECK(installedServerLocation().subkey == L"SOFTWARE\\GuruConnect\\Server");
    CHECK(std::wstring(kServerKeySddl).find(L"(A;OICI;KR;;;BU)") != std::wstring::npos);
}

TEST_CASE("a damaged configuration is ConfigInvalid, not a crash or an empty credential") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"Damaged");
    REQUIRE(writeAgentConfig(at, kConfig, nullptr).ok());
    UniqueKey key;
    REQUIRE(createKey(at, key) == ERROR_SUCCESS);
    REQUIRE(setBinary(key.get(), L"Credential", {std::byte{1}, std::byte{2}, std::byte{3}}) == ERROR_SUCCESS);
    CHECK(readAgentConfig(at).error() == ServiceError::ConfigInvalid);
    REQUIRE(setString(key.get(), L"Credential", L"clear-text") == ERROR_SUCCESS);  // wrong type
    CHECK(readAgentConfig(at).error() == ServiceError::ConfigInvalid);
    REQUIRE(RegDeleteValueW(key.get(), L"Server") == ERROR_SUCCESS);
    CHECK(readAgentConfig(at).error() == ServiceError::ConfigInvalid);
}

TEST_CASE("the installed configuration's key is SYSTEM and Administrators only (elevated runs)") {
    if (!elevated()) {
        MESSAGE("not elevated: HKLM not written");
        return;
    }
    const RegistryLocation at{HKEY_LOCAL_MACHINE,
                              L"SOFTWARE\\GuruConnectTest\\" + std::to_wstring(GetCurrentProcessId())};
    REQUIRE(writeAgentConfig(at, kConfig, kConfigKeySddl).ok());
    CHECK(readAgentConfig(at)->credential == kConfig.credential);
    UniqueKey key;
    REQUIRE(openKeyForReading(at, key) == ERROR_SUCCESS);
    DWORD size = 0;
    RegGetKeySecurity(key.get(), DACL_SECURITY_INFORMATION, nullptr, &size);
    std::vector<std::byte> descriptor(size);
    REQUIRE(RegGetKeySecurity(key.get(), DACL_SECURITY_INFORMATION, descriptor.data(), &size) == ERROR_SUCCESS);
    BOOL present = FALSE, defaulted = FALSE;
    PACL dacl = nullptr;
    REQUIRE(GetSecurityDescriptorDacl(descriptor.data(), &present, &dacl, &defaulted));
    REQUIRE(present);
    REQUIRE(dacl);
    CHECK(dacl->AceCount == 2);
    key.reset();
    CHECK(deleteAgentConfig(at).value());
    LSTATUS status = ERROR_SUCCESS;
    deleteTree({HKEY_LOCAL_MACHINE, L"SOFTWARE\\GuruConnectTest"}, status);
}

TEST_CASE("the guruconnect:// handler's keys are written, read back and removed") {
    TestKeysCleanup cleanup;
    const RegistryLocation at = testKey(L"Classes\\guruconnect");
    const std::wstring exe = L"C:\\Program Files\\GuruConnect\\guruconnect-agent.exe";
    REQUIRE(registerUrlHandler(at, exe).ok());
    REQUIRE(registerUrlHandler(at, exe).ok());  // again: in place
    CHECK(stringValue(at, nullptr) == L"URL:GuruConnect");
    CHECK(stringValue(at, L"URL Protocol") == L"");
    CHECK(stringValue({at.root, at.subkey + L"\\DefaultIcon"}, nullptr) == L"\"" + exe + L"\",0");
    CHECK(stringValue({at.root, at.subkey + L"\\shell\\open\\command"}, nullptr) ==
          L"\"" + exe + L"\" --open-url \"%1\"");
    CHECK(removeUrlHandler(at).value());
    CHECK_FALSE(keyExists(at));
    CHECK_FALSE(removeUrlHandler(at).value());
    CHECK(urlHandlerLocation().root == HKEY_CURRENT_USER);
    CHECK(urlHandlerLocation().subkey == L"Software\\Classes\\guruconnect");
}

TEST_CASE("SoftwareSASGeneration gains the services bit and gets its old value back") {
    CHECK(sasPolicyWithServices(std::nullopt) == 1);
    CHECK(sasPolicyWithServices(0) == 1);
    CHECK(sasPolicyWithServices(1) == 1);
    CHECK(sasPolicyWithServices(2) == 3);
    CHECK(sasPolicyWithServices(3) == 3);
    CHECK(sasPolicyWithServices(77) == 1);
    CHECK(sasPolicyLocation().root == HKEY_LOCAL_MACHINE);
    CHECK(sasPolicyLocation().subkey == L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System");

    TestKeysCleanup cleanup;
    auto readPolicy = [](const RegistryLocation& at) -> std::optional<DWORD> {
        UniqueKey key;
        if (openKeyForReading(at, key) != ERROR_SUCCESS) return std::nullopt;
        return readDword(key.get(), L"SoftwareSASGeneration");
    };
    SUBCASE("no value before: set to 1, then deleted again") {
        const RegistryLocation policy = testKey(L"PolicyAbsent"), memo = testKey(L"MemoAbsent");
        CHECK(allowServiceSas(policy, memo).value());
        CHECK(readPolicy(policy) == 1);
        CHECK_FALSE(allowServiceSas(policy, memo).value());  // a re-install changes nothing
        CHECK(restoreServiceSas(policy, memo).value());
        CHECK_FALSE(readPolicy(policy).has_value());
    }
    SUBCASE("Ease of Access only before: both, then 2 again, also after a re-install") {
        const RegistryLocation policy = testKey(L"PolicyTwo"), memo = testKey(L"MemoTwo");
        UniqueKey key;
        REQUIRE(createKey(policy, key) == ERROR_SUCCESS);
        REQUIRE(setDword(key.get(), L"SoftwareSASGeneration", 2) == ERROR_SUCCESS);
        CHECK(allowServiceSas(policy, memo).value());
        CHECK(readPolicy(policy) == 3);
        CHECK_FALSE(allowServiceSas(policy, memo).value());
        CHECK(restoreServiceSas(policy, memo).value());
        CHECK(readPolicy(policy) == 2);
    }
    SUBCASE("nothing recorded: nothing restored") {
        CHECK_FALSE(restoreServiceSas(testKey(L"PolicyNone"), testKey(L"MemoNone")).value());
    }
}

TEST_CASE("the service's stop event ends waitForTermination") {
    blockTerminationSignals();
    UniqueHandle event(CreateEventW(nullptr, TRUE, FALSE, nullptr));
    REQUIRE(event);
    addTerminationEvent(event.get(), "service stop");
    CHECK(waitForTermination(std::chrono::milliseconds(20)) == nullptr);
    SetEvent(event.get());
    const char* reason = waitForTermination(std::chrono::milliseconds(1000));
    REQUIRE(reason);
    CHECK(std::string(reason) == "service stop");
    CHECK(std::string(waitForTermination()) == "service stop");
}

TEST_CASE("the session helper refuses a missing or unusable stop event") {
    const service::AgentRunner never = [](const AgentConfig&) { return 99; };
    CHECK(service::runSessionHelper("", never).error() == ServiceError::BadStopEvent);
    CHECK(service::runSessionHelper("abc", never).error() == ServiceError::BadStopEvent);
    CHECK(service::runSessionHelper("4294967292", never).error() == ServiceError::BadStopEvent);
}

TEST_CASE("install paths and what this system's session APIs report") {
    CHECK(installedExecutable().ends_with(L"\\GuruConnect\\guruconnect-agent.exe"));
    CHECK(serviceLogPath().ends_with(L"\\GuruConnect\\agent.log"));
    // Observations, not assertions: the service needs SeTcbPrivilege (LocalSystem) for
    // these, which a test run has on Wine but not on an ordinary Windows account.
    const DWORD console = WTSGetActiveConsoleSessionId();
    DWORD own = 0;
    ProcessIdToSessionId(GetCurrentProcessId(), &own);
    MESSAGE("WTSGetActiveConsoleSessionId: " << console << ", this process's session: " << own);
    HANDLE user = nullptr;
    const BOOL queried = WTSQueryUserToken(console, &user);
    const DWORD queryError = queried ? 0 : GetLastError();
    const std::string queryText = queried ? "ok" : "failed, error " + std::to_string(queryError);
    MESSAGE("WTSQueryUserToken: " << queryText);
    if (queried) CloseHandle(user);
    DWORD error = 0;
    auto token = tokenForSession(console, error);
    const std::string tokenText = token ? "ok" : "failed, error " + std::to_string(error);
    MESSAGE("own token moved to the console session: " << tokenText);
    if (token) {
        DWORD session = 0xFFFF, size = 0;
        CHECK(GetTokenInformation(token->get(), TokenSessionId, &session, sizeof session, &size));
        MESSAGE("its TokenSessionId reads back as " << session);
    }
}
