// platform/process.h and platform/file_removal.h on POSIX: the running executable's own path,
// deleting a file the way the one-time agent deletes itself, and the autostart entry that
// deletes it at the next login when it cannot go now.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "platform/file_removal.h"
#include "platform/process.h"

namespace fs = std::filesystem;
using namespace guru::platform;

namespace {

fs::path uniqueTemp(const std::string& stem) {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    return fs::temp_directory_path() / (stem + std::to_string(stamp));
}

}  // namespace

TEST_CASE("ownExecutablePath names this test binary") {
    auto self = ownExecutablePath();
    REQUIRE(self.has_value());
    CHECK(fs::exists(*self));
    CHECK(fs::path(*self).filename().string().rfind("test_executable_file", 0) == 0);
}

TEST_CASE("deleteNow removes a copied binary, and finds it missing once it is gone") {
    auto self = ownExecutablePath();
    REQUIRE(self.has_value());
    const fs::path copy = uniqueTemp("guru-self-delete-");
    fs::copy_file(*self, copy);
    REQUIRE(fs::exists(copy));
    auto remover = openFileRemover();
    CHECK(remover->deleteNow(copy.string()).outcome == DeleteNow::Deleted);
    CHECK_FALSE(fs::exists(copy));
    CHECK(remover->deleteNow(copy.string()).outcome == DeleteNow::Missing);
    CHECK(remover->deleteNow("").outcome == DeleteNow::Missing);
}

TEST_CASE("scheduleLater writes the autostart entry under XDG_CONFIG_HOME, creating the directory") {
    const fs::path config = uniqueTemp("guru-xdg-config-");
    const char* before = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = before ? before : "";
    REQUIRE(::setenv("XDG_CONFIG_HOME", config.c_str(), 1) == 0);
    const std::string target = "/some where/GuruConnect-123456";
    auto scheduled = openFileRemover()->scheduleLater(target);
    if (before) {
        ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    } else {
        ::unsetenv("XDG_CONFIG_HOME");
    }
    REQUIRE(scheduled);
    CHECK(scheduled->how == DeferredDeletion::LoginAutostart);
    const fs::path entry = config / "autostart" / autostartFileName(target);
    CHECK(scheduled->where == entry.string());
    std::ifstream in(entry);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == autostartEntry(target, entry.string()));
    CHECK((fs::status(config / "autostart").permissions() & fs::perms::group_all) == fs::perms::none);
    CHECK_FALSE(fs::exists(entry.string() + ".partial"));
    fs::remove_all(config);
}

TEST_CASE("scheduleLater needs an absolute XDG_CONFIG_HOME or HOME") {
    const char* config = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const std::string savedConfig = config ? config : "", savedHome = home ? home : "";
    ::setenv("XDG_CONFIG_HOME", "relative", 1);
    ::setenv("HOME", "also-relative", 1);
    auto scheduled = openFileRemover()->scheduleLater("/a");
    config ? ::setenv("XDG_CONFIG_HOME", savedConfig.c_str(), 1) : ::unsetenv("XDG_CONFIG_HOME");
    home ? ::setenv("HOME", savedHome.c_str(), 1) : ::unsetenv("HOME");
    REQUIRE_FALSE(scheduled);
    CHECK(scheduled.error().kind == ScheduleErrorKind::NoPlace);
}
