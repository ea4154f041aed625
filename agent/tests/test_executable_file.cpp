// platform/process.h file services for support mode: the running executable's own path,
// and deleting a file the way the one-time agent deletes itself.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "platform/process.h"

namespace fs = std::filesystem;

TEST_CASE("ownExecutablePath names this test binary") {
    auto self = guru::platform::ownExecutablePath();
    REQUIRE(self.has_value());
    CHECK(fs::exists(*self));
    CHECK(fs::path(*self).filename().string().rfind("test_executable_file", 0) == 0);
}

TEST_CASE("deleteExecutable removes a copied binary, and fails once it is gone") {
    auto self = guru::platform::ownExecutablePath();
    REQUIRE(self.has_value());
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const fs::path copy = fs::temp_directory_path() / ("guru-self-delete-" + std::to_string(stamp));
    fs::copy_file(*self, copy);
    REQUIRE(fs::exists(copy));
    CHECK(guru::platform::deleteExecutable(copy.string()));
    CHECK_FALSE(fs::exists(copy));
    CHECK_FALSE(guru::platform::deleteExecutable(copy.string()));
    CHECK_FALSE(guru::platform::deleteExecutable(""));
}
