// sd-journal through dlopen (sd-journal(3); the C ABI of libsystemd.so.0 is stable), then the
// text logs. A machine without a journal (a container) gets an empty list and a reason.
#include "platform/linux/linux_system_log.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

#include "platform/linux/linux_files.h"
#include "platform/linux/proc_text.h"

namespace guru::platform::linux_log {
namespace {

struct sd_journal;  // opaque
constexpr int kLocalOnly = 1;  // SD_JOURNAL_LOCAL_ONLY
constexpr std::size_t kSyslogTail = 1024 * 1024;

struct DlClose {
    void operator()(void* h) const { ::dlclose(h); }
};

/// The few sd-journal calls used, resolved from libsystemd.so.0.
struct JournalApi {
    std::unique_ptr<void, DlClose> library;
    int (*open)(sd_journal**, int) = nullptr;
    void (*close)(sd_journal*) = nullptr;
    int (*addMatch)(sd_journal*, const void*, std::size_t) = nullptr;
    int (*seekTail)(sd_journal*) = nullptr;
    int (*previous)(sd_journal*) = nullptr;
    int (*getData)(sd_journal*, const char*, const void**, std::size_t*) = nullptr;
    int (*realtime)(sd_journal*, std::uint64_t*) = nullptr;
    int (*usage)(sd_journal*, std::uint64_t*) = nullptr;

    template <typename F>
    bool resolve(F& f, const char* symbol) {
        f = reinterpret_cast<F>(::dlsym(library.get(), symbol));
        return f != nullptr;
    }
};

std::optional<JournalApi> loadJournal() {
    JournalApi api;
    api.library.reset(::dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL));
    if (!api.library) return std::nullopt;
    if (!api.resolve(api.open, "sd_journal_open") || !api.resolve(api.close, "sd_journal_close") ||
        !api.resolve(api.addMatch, "sd_journal_add_match") || !api.resolve(api.seekTail, "sd_journal_seek_tail") ||
        !api.resolve(api.previous, "sd_journal_previous") || !api.resolve(api.getData, "sd_journal_get_data") ||
        !api.resolve(api.realtime, "sd_journal_get_realtime_usec") || !api.resolve(api.usage, "sd_journal_get_usage"))
        return std::nullopt;
    return api;
}

/// A field's value ("FIELD=value" in the journal), or empty.
std::string field(const JournalApi& api, sd_journal* j, const char* name) {
    const void* data = nullptr;
    std::size_t length = 0;
    if (api.getData(j, name, &data, &length) < 0 || !data) return {};
    const std::string_view all(static_cast<const char*>(data), length);
    const auto eq = all.find('=');
    return eq == std::string_view::npos ? std::string() : std::string(all.substr(eq + 1));
}

/// The journal's errors, or why it gave none.
Section<std::vector<LogEntry>> journalErrors(std::size_t limit) {
    auto api = loadJournal();
    if (!api) return Failure{SectionError{"libsystemd.so.0 is not installed"}};
    sd_journal* raw = nullptr;
    if (const int r = api->open(&raw, kLocalOnly); r < 0 || !raw)
        return Failure{SectionError{std::string("the journal cannot be opened: ") + std::strerror(-r)}};
    const auto closer = [&api](sd_journal* j) { api->close(j); };
    std::unique_ptr<sd_journal, decltype(closer)> j(raw, closer);
    std::uint64_t bytes = 0;
    if (api->usage(j.get(), &bytes) < 0 || bytes == 0)
        return Failure{SectionError{"no systemd journal files on this machine (or none this user may read)"}};
    // Matches on one field are ORed: emerg, alert, crit, err.
    for (const char* match : {"PRIORITY=0", "PRIORITY=1", "PRIORITY=2", "PRIORITY=3"})
        api->addMatch(j.get(), match, 0);
    std::vector<LogEntry> out;
    if (api->seekTail(j.get()) < 0) return Failure{SectionError{"the journal cannot be read"}};
    while (out.size() < limit && api->previous(j.get()) > 0) {
        std::uint64_t usec = 0;
        if (api->realtime(j.get(), &usec) < 0) continue;
        std::string source = field(*api, j.get(), "SYSLOG_IDENTIFIER");
        if (source.empty()) source = field(*api, j.get(), "_SYSTEMD_UNIT");
        if (source.empty()) source = field(*api, j.get(), "_COMM");
        if (source.empty()) source = "journal";
        out.push_back({std::chrono::system_clock::time_point(std::chrono::microseconds(usec)), std::move(source),
                       field(*api, j.get(), "MESSAGE")});
    }
    return out;
}

int currentYear() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return local.tm_year + 1900;
}

}  // namespace

std::vector<LogEntry> syslogErrors(const std::string& text, std::size_t limit, int year) {
    std::vector<LogEntry> out;
    std::size_t end = text.size();
    while (end > 0 && out.size() < limit) {
        std::size_t start = text.rfind('\n', end - 1);
        start = start == std::string::npos ? 0 : start + 1;
        const std::string_view line(text.data() + start, end - start);
        if (auto parsed = linux_text::parseSyslogLine(line, year); parsed && linux_text::looksLikeError(parsed->message))
            out.push_back({parsed->time, std::move(parsed->source), std::move(parsed->message)});
        end = start > 0 ? start - 1 : 0;
    }
    return out;
}

Section<std::vector<LogEntry>> recentErrors(std::size_t limit) {
    auto journal = journalErrors(limit);
    if (journal) return journal;
    std::string why = journal.error().reason;
    for (const char* path : {"/var/log/syslog", "/var/log/messages"}) {
        auto text = linux_files::readTail(path, kSyslogTail);
        if (text) return syslogErrors(*text, limit, currentYear());
        why += std::string("; ") + path + ": " + text.error();
    }
    return Failure{SectionError{"the system log cannot be read: " + why}};
}

}  // namespace guru::platform::linux_log
