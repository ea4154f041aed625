// The OS-neutral parts of platform/file_removal.h: names, and the text of the RunOnce
// command and the XDG autostart entry, pure so that the Linux tests check the Windows quoting.
#include <cstdint>
#include <cstdio>

#include "platform/file_removal.h"

namespace guru::platform {
namespace {

bool hasControlCharacter(std::string_view s) {
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return true;
    }
    return false;
}

// FNV-1a, 64 bits: a stable name per path, not a secret.
std::string hex64(std::string_view s) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : s) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

// One Exec argument, quoted as the Desktop Entry Specification says: inside double quotes,
// `"`, `` ` ``, `$` and `\` take a backslash; `%` is a field code unless doubled.
std::string execArgument(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '`' || c == '$' || c == '\\') out += '\\';
        if (c == '%') out += '%';
        out += c;
    }
    return out + "\"";
}

// A string value of a desktop file: the backslash itself is escaped (after the Exec quoting).
std::string desktopString(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

const char* name(DeferredDeletion how) {
    switch (how) {
        case DeferredDeletion::PendingRename: return "PendingRename";
        case DeferredDeletion::RunOnce: return "RunOnce";
        case DeferredDeletion::LoginAutostart: return "LoginAutostart";
    }
    return "?";
}

const char* name(ScheduleErrorKind kind) {
    switch (kind) {
        case ScheduleErrorKind::UnsafePath: return "UnsafePath";
        case ScheduleErrorKind::NoPlace: return "NoPlace";
        case ScheduleErrorKind::WriteFailed: return "WriteFailed";
    }
    return "?";
}

std::optional<std::string> runOnceDeleteCommand(std::string_view cmdExe, std::string_view path) {
    // Inside double quotes cmd.exe still expands %NAME% (and !NAME! with delayed expansion,
    // switched off by /v:off, but `!` is refused too so the rule does not rest on a flag).
    for (const std::string_view s : {cmdExe, path}) {
        if (s.empty() || hasControlCharacter(s) || s.find_first_of("\"%!") != std::string_view::npos) {
            return std::nullopt;
        }
    }
    return "\"" + std::string(cmdExe) + "\" /d /q /v:off /c del /f /q \"" + std::string(path) + "\"";
}

std::string runOnceValueName(std::string_view path) { return "GuruConnect cleanup " + hex64(path); }

std::string autostartFileName(std::string_view path) { return "guruconnect-cleanup-" + hex64(path) + ".desktop"; }

std::optional<std::string> autostartEntry(std::string_view path, std::string_view entryPath) {
    if (path.empty() || entryPath.empty() || hasControlCharacter(path) || hasControlCharacter(entryPath)) {
        return std::nullopt;
    }
    // The entry removes itself only once the file is gone, so a refusal at this login is
    // tried again at the next one.
    const std::string script = "rm -f -- \"$1\"; [ -e \"$1\" ] || rm -f -- \"$2\"";
    const std::string exec = "/bin/sh -c " + execArgument(script) + " sh " + execArgument(path) + " " +
                             execArgument(entryPath);
    return "[Desktop Entry]\n"
           "Type=Application\n"
           "Name=GuruConnect cleanup\n"
           "Comment=Removes the one-time GuruConnect support agent that could not be deleted when its session ended\n"
           "Exec=" + desktopString(exec) + "\n"
           "NoDisplay=true\n"
           "Terminal=false\n"
           "X-GNOME-Autostart-enabled=true\n";
}

}  // namespace guru::platform
