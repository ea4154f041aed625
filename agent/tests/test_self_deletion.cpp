// Self-deletion's decision (core/self_deletion.h) against a fake OS, and the text of the
// cleanup commands (platform/file_removal.h) that the Windows and Linux parts write.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/self_deletion.h"

using namespace guru;
using namespace guru::platform;

namespace {

// Answers as it is told, and records what it was asked.
struct FakeRemover final : FileRemover {
    DeleteAnswer answer;
    std::optional<ScheduledDeletion> scheduled;  // nothing: scheduling fails
    std::vector<std::string> calls;

    DeleteAnswer deleteNow(const std::string& path) override {
        calls.push_back("delete " + path);
        return answer;
    }
    Result<ScheduledDeletion, ScheduleError> scheduleLater(const std::string& path) override {
        calls.push_back("schedule " + path);
        if (!scheduled) return Failure(ScheduleError{ScheduleErrorKind::WriteFailed, "registry said no"});
        return *scheduled;
    }
};

struct Logged {
    std::vector<std::string> lines;
    LogSink sink() {
        return [this](const std::string& line) { lines.push_back(line); };
    }
};

}  // namespace

TEST_CASE("a file deleted now is not scheduled") {
    FakeRemover os;
    os.answer = {DeleteNow::Deleted, {}};
    Logged log;
    CHECK(deleteOwnFile(os, "/tmp/GuruConnect-123456", log.sink()) == SelfDeletion::Deleted);
    CHECK(os.calls == std::vector<std::string>{"delete /tmp/GuruConnect-123456"});
    CHECK(log.lines == std::vector<std::string>{"support: deleted /tmp/GuruConnect-123456"});
}

TEST_CASE("the running .exe left to the helper is not scheduled either") {
    FakeRemover os;
    os.answer = {DeleteNow::AfterExit, "cmd.exe retries for 30 s"};
    Logged log;
    CHECK(deleteOwnFile(os, "C:\\Downloads\\GuruConnect-1.exe", log.sink()) == SelfDeletion::DeletedAfterExit);
    CHECK(os.calls.size() == 1);
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0] == "support: deleted C:\\Downloads\\GuruConnect-1.exe once the agent has exited (cmd.exe retries for 30 s)");
}

TEST_CASE("a file already gone counts as deleted") {
    FakeRemover os;
    os.answer = {DeleteNow::Missing, {}};
    Logged log;
    CHECK(deleteOwnFile(os, "/x", log.sink()) == SelfDeletion::Deleted);
    CHECK(os.calls.size() == 1);
}

TEST_CASE("a refused delete is scheduled, and the log names how and where") {
    FakeRemover os;
    os.answer = {DeleteNow::Refused, "sharing violation (held open by another process), error 32"};
    os.scheduled = ScheduledDeletion{DeferredDeletion::PendingRename, "PendingFileRenameOperations"};
    Logged log;
    CHECK(deleteOwnFile(os, "C:\\a.exe", log.sink()) == SelfDeletion::Scheduled);
    CHECK(os.calls == std::vector<std::string>{"delete C:\\a.exe", "schedule C:\\a.exe"});
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0] ==
          "support: could not delete C:\\a.exe (sharing violation (held open by another process), error 32): "
          "deletion scheduled for the next reboot (PendingRename: PendingFileRenameOperations)");

    os.scheduled = ScheduledDeletion{DeferredDeletion::LoginAutostart, "/home/u/.config/autostart/x.desktop"};
    log.lines.clear();
    CHECK(deleteOwnFile(os, "/ro/a", log.sink()) == SelfDeletion::Scheduled);
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0].find("deletion scheduled for the next login (LoginAutostart: /home/u/.config/autostart/x.desktop)") !=
          std::string::npos);
}

TEST_CASE("a refused delete that cannot be scheduled keeps the file and says both reasons") {
    FakeRemover os;
    os.answer = {DeleteNow::Refused, "Permission denied (errno 13)"};
    Logged log;
    CHECK(deleteOwnFile(os, "/ro/a", log.sink()) == SelfDeletion::Kept);
    CHECK(os.calls.size() == 2);
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0] ==
          "support: could not delete /ro/a (Permission denied (errno 13)), nor schedule its deletion "
          "(WriteFailed: registry said no)");
}

TEST_CASE("the RunOnce command quotes the path and refuses what cmd.exe would expand") {
    const std::string cmd = "C:\\Windows\\system32\\cmd.exe";
    CHECK(runOnceDeleteCommand(cmd, "C:\\Users\\Ann Lee\\Downloads\\GuruConnect-1 & (2).exe") ==
          "\"C:\\Windows\\system32\\cmd.exe\" /d /q /v:off /c del /f /q "
          "\"C:\\Users\\Ann Lee\\Downloads\\GuruConnect-1 & (2).exe\"");
    CHECK(!runOnceDeleteCommand(cmd, "C:\\Users\\x\\100%PATH%.exe"));
    CHECK(!runOnceDeleteCommand(cmd, "C:\\Users\\x\\a\" & calc & \".exe"));
    CHECK(!runOnceDeleteCommand(cmd, "C:\\Users\\x\\!x!.exe"));
    CHECK(!runOnceDeleteCommand(cmd, std::string("C:\\a\r\nb.exe")));
    CHECK(!runOnceDeleteCommand(cmd, ""));
}

TEST_CASE("each path has a value name and an autostart file of its own, the same each time") {
    CHECK(runOnceValueName("C:\\a.exe") == runOnceValueName("C:\\a.exe"));
    CHECK(runOnceValueName("C:\\a.exe") != runOnceValueName("C:\\b.exe"));
    CHECK(runOnceValueName("C:\\a.exe").rfind("GuruConnect cleanup ", 0) == 0);
    CHECK(runOnceValueName("C:\\a.exe").size() == std::string("GuruConnect cleanup ").size() + 16);
    CHECK(autostartFileName("/a") != autostartFileName("/b"));
    CHECK(autostartFileName("/a").rfind("guruconnect-cleanup-", 0) == 0);
    CHECK(autostartFileName("/a").ends_with(".desktop"));
}

TEST_CASE("the autostart entry escapes the Exec arguments as the Desktop Entry Specification says") {
    const auto entry = autostartEntry("/home/ann/Down loads/a\"b$c`d\\e%f", "/home/ann/.config/autostart/g.desktop");
    REQUIRE(entry);
    CHECK(entry->rfind("[Desktop Entry]\nType=Application\n", 0) == 0);
    CHECK(entry->find("\nNoDisplay=true\n") != std::string::npos);
    // Exec quoting (\" \$ \` \\ and %%), then the string escape of each backslash.
    const std::string exec =
        "Exec=/bin/sh -c \"rm -f -- \\\\\"\\\\$1\\\\\"; [ -e \\\\\"\\\\$1\\\\\" ] || rm -f -- \\\\\"\\\\$2\\\\\"\" sh "
        "\"/home/ann/Down loads/a\\\\\"b\\\\$c\\\\`d\\\\\\\\e%%f\" \"/home/ann/.config/autostart/g.desktop\"\n";
    CHECK(entry->find(exec) != std::string::npos);
    CHECK(!autostartEntry("/a\nExec=evil", "/e.desktop"));
    CHECK(!autostartEntry("", "/e.desktop"));
}
