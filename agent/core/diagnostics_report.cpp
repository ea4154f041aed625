// Schema-1 report JSON; the contract is docs/protocol.md §4.
#include "core/diagnostics_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace guru::diagnostics {
namespace {

using Json = nlohmann::ordered_json;
using platform::SystemSnapshot;

/// How hard the report is trimmed: each step halves what the previous one kept.
struct Trim {
    std::size_t processes = kMaxProcesses;
    std::size_t errors = kMaxRecentErrors;
    std::size_t messageChars = kMaxMessageChars;
    bool dropLists = false;  // last resort: disks and network emptied too
};

/// One decimal place, as a JSON number; never NaN or infinite (invalid JSON).
double percent(double value) {
    if (!std::isfinite(value) || value < 0) return 0;
    return std::round(value * 10) / 10;
}

std::string text(std::string_view s) { return validUtf8(s); }

Json host(const platform::HostSection& h) {
    return {{"name", text(h.name)}, {"os", text(h.os)}, {"kernel", text(h.kernel)}, {"platform", text(h.platform)}};
}

Json cpu(const platform::CpuSection& c) {
    return {{"model", text(c.model)}, {"logicalCores", c.logicalCores}, {"usagePercent", percent(c.usagePercent)}};
}

Json memory(const platform::MemorySection& m) {
    return {{"totalBytes", m.totalBytes}, {"availableBytes", m.availableBytes},
            {"swapTotalBytes", m.swapTotalBytes}, {"swapFreeBytes", m.swapFreeBytes}};
}

Json disks(const std::vector<platform::Disk>& list) {
    Json out = Json::array();
    for (const auto& d : list)
        out.push_back({{"mount", text(d.mount)}, {"fileSystem", text(d.fileSystem)},
                       {"totalBytes", d.totalBytes}, {"freeBytes", d.freeBytes}});
    return out;
}

/// The top `limit` processes by CPU, then memory, then pid (so equal ones keep one order).
Json processes(std::vector<platform::ProcessUsage> list, std::size_t limit) {
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
        if (a.cpuPercent != b.cpuPercent) return a.cpuPercent > b.cpuPercent;
        if (a.memoryBytes != b.memoryBytes) return a.memoryBytes > b.memoryBytes;
        return a.pid < b.pid;
    });
    Json out = Json::array();
    for (std::size_t i = 0; i < list.size() && i < limit; ++i) {
        const auto& p = list[i];
        out.push_back({{"pid", p.pid}, {"name", text(p.name)}, {"cpuPercent", percent(p.cpuPercent)},
                       {"memoryBytes", p.memoryBytes}});
    }
    return out;
}

/// Newest first, at most `limit`, each message cut to `messageChars`.
Json recentErrors(std::vector<platform::LogEntry> list, std::size_t limit, std::size_t messageChars) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.time > b.time; });
    Json out = Json::array();
    for (std::size_t i = 0; i < list.size() && i < limit; ++i) {
        const auto& e = list[i];
        out.push_back({{"time", isoUtc(e.time)}, {"source", truncateChars(text(e.source), 200)},
                       {"message", truncateChars(text(e.message), messageChars)}});
    }
    return out;
}

Json network(const platform::NetworkSection& n) {
    Json interfaces = Json::array();
    for (const auto& i : n.interfaces) {
        Json addresses = Json::array();
        for (const auto& a : i.addresses) addresses.push_back(text(a));
        interfaces.push_back({{"name", text(i.name)}, {"mac", i.mac ? Json(text(*i.mac)) : Json(nullptr)},
                              {"up", i.up}, {"addresses", addresses}});
    }
    Json gateways = Json::array(), dns = Json::array();
    for (const auto& g : n.gateways) gateways.push_back(text(g));
    for (const auto& d : n.dnsServers) dns.push_back(text(d));
    return {{"interfaces", interfaces}, {"gateways", gateways}, {"dnsServers", dns}};
}

Json pendingReboot(const platform::PendingRebootSection& p) {
    Json reasons = Json::array();
    for (const auto& r : p.reasons) reasons.push_back(text(r));
    return {{"pending", p.pending}, {"reasons", reasons}};
}

/// Puts a section's value under `key`, or `empty` and its reason in sectionErrors.
template <typename T, typename Make>
void section(Json& report, Json& errors, const char* key, const platform::Section<T>& s, Json empty, Make make) {
    if (s.ok()) {
        report[key] = make(*s);
    } else {
        report[key] = std::move(empty);
        errors[key] = text(s.error().reason);
    }
}

std::string render(const SystemSnapshot& snap, const ReportContext& context, const Trim& trim) {
    Json report;
    Json errors = Json::object();
    report["schema"] = kSchema;
    report["collectedAt"] = isoUtc(snap.collectedAt);
    report["agentVersion"] = text(context.agentVersion);
    section(report, errors, "host", snap.host, nullptr, host);
    section(report, errors, "uptimeSeconds", snap.uptimeSeconds, nullptr, [](std::uint64_t s) { return Json(s); });
    section(report, errors, "cpu", snap.cpu, nullptr, cpu);
    section(report, errors, "memory", snap.memory, nullptr, memory);
    if (trim.dropLists) {
        report["disks"] = Json::array();
    } else {
        section(report, errors, "disks", snap.disks, Json::array(), disks);
    }
    section(report, errors, "processes", snap.processes, Json::array(),
            [&](const auto& list) { return processes(list, trim.processes); });
    section(report, errors, "recentErrors", snap.recentErrors, Json::array(),
            [&](const auto& list) { return recentErrors(list, trim.errors, trim.messageChars); });
    if (trim.dropLists) {
        report["network"] = nullptr;
        errors["network"] = "too large to report";
        if (snap.disks.ok()) errors["disks"] = "too large to report";
    } else {
        section(report, errors, "network", snap.network, nullptr, network);
    }
    section(report, errors, "pendingReboot", snap.pendingReboot, nullptr, pendingReboot);
    report["sectionErrors"] = std::move(errors);
    // Every string went through validUtf8, so `replace` never fires; it is the belt to those braces.
    return report.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string isoUtc(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto seconds = floor<std::chrono::seconds>(t);
    const auto day = floor<days>(seconds);
    const year_month_day date{day};
    const hh_mm_ss clock{seconds - day};
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return out;
}

std::string validUtf8(std::string_view input) {
    std::string out;
    out.reserve(input.size());
    std::size_t i = 0;
    while (i < input.size()) {
        const auto lead = static_cast<std::uint8_t>(input[i]);
        std::size_t length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
        if (length != 0 && length <= input.size() - i &&
            isValidUtf8(asBytes(input.substr(i, length)))) {
            out.append(input.substr(i, length));
            i += length;
        } else {
            out.append("\xEF\xBF\xBD");  // U+FFFD for the one bad byte; resynchronise after it
            ++i;
        }
    }
    return out;
}

std::string truncateChars(std::string_view text, std::size_t maxChars) {
    std::size_t chars = 0, cut = text.size(), keep = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<std::uint8_t>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
        if (chars == (maxChars > 0 ? maxChars - 1 : 0)) keep = i;  // where "…" would go
        if (chars == maxChars) {
            cut = i;
            break;
        }
        ++chars;
    }
    if (cut == text.size()) return std::string(text);
    if (maxChars == 0) return {};
    return std::string(text.substr(0, keep)) + "\xE2\x80\xA6";
}

std::string buildReport(const SystemSnapshot& snapshot, const ReportContext& context) {
    Trim trim;
    std::string json = render(snapshot, context, trim);
    // Halve the biggest lists and messages until it fits; the lists that are the report's
    // point (disks, network) go only when nothing else is left.
    while (json.size() > context.maxBytes) {
        if (trim.messageChars > 100) {
            trim.messageChars /= 2;
        } else if (trim.errors > 0) {
            trim.errors /= 2;
        } else if (trim.processes > 0) {
            trim.processes /= 2;
        } else if (!trim.dropLists) {
            trim.dropLists = true;
        } else {
            // Only the fixed fields are left; they are small, so this is a bug, not a big machine.
            return "{\"schema\":1,\"sectionErrors\":{\"report\":\"too large to report\"}}";
        }
        json = render(snapshot, context, trim);
    }
    return json;
}

}  // namespace guru::diagnostics
