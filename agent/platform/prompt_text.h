// The words of the attended-support windows (docs/support.md §4), the same on every OS:
// who asks (the technician's name from ViewerInfo, and the company), and the 6-digit code
// of each technician's end-to-end channel, which the technician sees too.
#pragma once

#include <string>
#include <vector>

#include "platform/platform.h"

namespace guru::platform::prompt_text {

/// "GuruConnect: allow remote support?", with " (code 123 456)" once a code is known.
std::string consentTitle(const std::vector<Technician>& asking);
/// The consent question's paragraphs: who wants control, the codes, what Allow means.
std::vector<std::string> consentParagraphs(const std::string& company, const std::vector<Technician>& asking);
/// "GuruConnect: session active", with the codes of the connected technicians.
std::string sessionTitle(const std::vector<Technician>& connected);
/// The session window's lines: each technician by name, with their code; at most `lines`.
std::vector<std::string> sessionLines(const std::vector<Technician>& connected, std::size_t lines);

}  // namespace guru::platform::prompt_text
