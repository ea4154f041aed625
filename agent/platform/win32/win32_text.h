// UTF-8 ⇄ UTF-16 for the Win32 wide-character APIs.
#pragma once

#include <string>
#include <string_view>

namespace guru::platform::win32 {

/// UTF-8 to UTF-16; invalid sequences become U+FFFD.
std::wstring widen(std::string_view utf8);
/// UTF-16 to UTF-8; unpaired surrogates become U+FFFD.
std::string narrow(std::wstring_view utf16);

/// Text for Windows programs: every line break as CR LF (a lone LF or a lone CR becomes CR LF).
std::wstring toWindowsLineBreaks(std::wstring_view text);
/// Text for the viewer: CR LF becomes LF; lone CRs and LFs stay as they are.
std::string fromWindowsLineBreaks(std::string_view text);

}  // namespace guru::platform::win32
