// The OS-neutral parts of service mode (platform/service.h): error names, the strict
// `guruconnect://session/NNNNNN` check and Windows command-line quoting, all pure so that
// the Linux tests cover them too.
#include <charconv>

#include "platform/service.h"

namespace guru::platform::service {

const char* name(ServiceError e) {
    switch (e) {
        case ServiceError::Unsupported: return "Unsupported";
        case ServiceError::AccessDenied: return "AccessDenied";
        case ServiceError::NotStartedByScm: return "NotStartedByScm";
        case ServiceError::ConfigMissing: return "ConfigMissing";
        case ServiceError::ConfigInvalid: return "ConfigInvalid";
        case ServiceError::ProtectFailed: return "ProtectFailed";
        case ServiceError::RegistryFailed: return "RegistryFailed";
        case ServiceError::CopyFailed: return "CopyFailed";
        case ServiceError::ServiceManagerFailed: return "ServiceManagerFailed";
        case ServiceError::StopTimedOut: return "StopTimedOut";
        case ServiceError::BadStopEvent: return "BadStopEvent";
        case ServiceError::CaFileNotFound: return "CaFileNotFound";
    }
    return "?";
}

const char* describe(ServiceError e) {
    switch (e) {
        case ServiceError::Unsupported: return "service mode is Windows-only here (use systemd)";
        case ServiceError::AccessDenied:
            return "access denied: run this from an elevated (Run as administrator) prompt";
        case ServiceError::NotStartedByScm:
            return "--service is started by the Windows service manager, not by hand "
                   "(install it with --install)";
        case ServiceError::ConfigMissing:
            return "no installed configuration (HKLM\\SOFTWARE\\GuruConnect\\Agent): run --install first";
        case ServiceError::ConfigInvalid:
            return "the installed configuration is incomplete or its credential cannot be decrypted: "
                   "run --install again";
        case ServiceError::ProtectFailed: return "DPAPI could not protect the credential";
        case ServiceError::RegistryFailed: return "the registry could not be written or read";
        case ServiceError::CopyFailed: return "the agent could not be copied to its install folder";
        case ServiceError::ServiceManagerFailed: return "the service manager refused the request";
        case ServiceError::StopTimedOut: return "the service did not stop within 20 s";
        case ServiceError::BadStopEvent: return "--session-helper needs the --stop-event handle the service passes";
        case ServiceError::CaFileNotFound:
            return "--ca-file names no file (the service keeps its full path and reads it at each start)";
    }
    return "?";
}

const char* name(SessionUrlError e) {
    switch (e) {
        case SessionUrlError::TooLong: return "TooLong";
        case SessionUrlError::WrongScheme: return "WrongScheme";
        case SessionUrlError::WrongPath: return "WrongPath";
        case SessionUrlError::BadCode: return "BadCode";
    }
    return "?";
}

Result<std::string, SessionUrlError> parseSessionUrl(std::string_view url) {
    constexpr std::string_view scheme = "guruconnect://";
    constexpr std::string_view path = "session/";
    constexpr std::size_t digits = 6;
    if (url.size() > kMaxSessionUrlLength) return Failure{SessionUrlError::TooLong};
    if (url.substr(0, scheme.size()) != scheme) return Failure{SessionUrlError::WrongScheme};
    url.remove_prefix(scheme.size());
    if (url.substr(0, path.size()) != path) return Failure{SessionUrlError::WrongPath};
    url.remove_prefix(path.size());
    if (url.size() != digits) return Failure{SessionUrlError::BadCode};
    for (char c : url) {
        if (c < '0' || c > '9') return Failure{SessionUrlError::BadCode};
    }
    return std::string(url);
}

std::string quoteArgument(std::string_view argument) {
    if (!argument.empty() && argument.find_first_of(" \t\n\v\"") == std::string_view::npos) {
        return std::string(argument);
    }
    std::string quoted = "\"";
    std::size_t backslashes = 0;
    for (char c : argument) {
        if (c == '\\') {
            ++backslashes;
            continue;
        }
        // Backslashes count only before a quote: there each one is doubled.
        quoted.append(c == '"' ? backslashes * 2 + 1 : backslashes, '\\');
        backslashes = 0;
        quoted += c;
    }
    quoted.append(backslashes * 2, '\\');  // before the closing quote
    quoted += '"';
    return quoted;
}

namespace {
// Program names are split by a simpler rule than arguments (no escapes: up to the next
// quote), so the executable is always quoted as it is; Windows paths cannot hold a quote.
std::string quoteProgram(std::string_view exe) { return "\"" + std::string(exe) + "\""; }
}  // namespace

std::string serviceCommandLine(std::string_view exe) { return quoteProgram(exe) + " --service"; }

std::string sessionHelperCommandLine(std::string_view exe, std::uint64_t stopEventHandle) {
    return quoteProgram(exe) + " --session-helper --stop-event " + std::to_string(stopEventHandle);
}

std::string urlHandlerCommand(std::string_view exe) { return quoteProgram(exe) + " --open-url \"%1\""; }

std::optional<std::uint64_t> parseHandleValue(std::string_view text) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (value == 0 || value > 0xFFFFFFFFull) return std::nullopt;
    return value;
}

}  // namespace guru::platform::service
