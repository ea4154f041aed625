// Attended-support window texts (prompt_text.h).
#include "platform/prompt_text.h"

namespace guru::platform::prompt_text {
namespace {

std::string nameOf(const Technician& t) { return t.name.empty() ? "A technician" : t.name; }

std::string codesSuffix(const std::vector<Technician>& people) {
    std::string codes;
    std::size_t count = 0;
    for (const Technician& t : people) {
        if (t.code.empty()) continue;
        codes += (count++ ? ", " : "") + t.code;
    }
    if (count == 0) return "";
    return (count == 1 ? " (code " : " (codes ") + codes + ")";
}

}  // namespace

std::string consentTitle(const std::vector<Technician>& asking) {
    return "GuruConnect: allow remote support?" + codesSuffix(asking);
}

std::vector<std::string> consentParagraphs(const std::string& company, const std::vector<Technician>& asking) {
    const std::string from = company.empty() ? std::string("remote") : company;
    std::vector<std::string> lines;
    if (asking.empty()) {
        lines.push_back((company.empty() ? std::string("Remote") : company) +
                        " support wants to view and control this computer.");
    } else {
        std::string who;
        for (std::size_t i = 0; i < asking.size(); ++i) {
            who += (i == 0 ? "" : i + 1 == asking.size() ? " and " : ", ") + nameOf(asking[i]);
        }
        lines.push_back(who + " of " + from + " support " + (asking.size() == 1 ? "wants" : "want") +
                        " to view and control this computer.");
        for (const Technician& t : asking) {
            if (!t.code.empty()) lines.push_back("Code for " + nameOf(t) + ": " + t.code + ". They see the same code.");
        }
    }
    lines.push_back("Allow only if you asked for help. You can end the session at any time.");
    return lines;
}

std::string sessionTitle(const std::vector<Technician>& connected) {
    return "GuruConnect: session active" + codesSuffix(connected);
}

std::vector<std::string> sessionLines(const std::vector<Technician>& connected, std::size_t lines) {
    std::vector<std::string> out;
    if (connected.empty()) {
        out.push_back("Waiting for the technician to connect.");
        return out;
    }
    out.push_back(connected.size() == 1 ? "Connected technician:" : "Connected technicians:");
    for (std::size_t i = 0; i < connected.size() && out.size() < lines; ++i) {
        const Technician& t = connected[i];
        out.push_back(nameOf(t) + (t.code.empty() ? "" : " (code " + t.code + ")"));
    }
    if (connected.size() + 1 > lines && lines >= 2) {
        out.back() = "and " + std::to_string(connected.size() - (lines - 2)) + " more";
    }
    return out;
}

}  // namespace guru::platform::prompt_text
