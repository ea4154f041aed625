// UTF-8 ⇄ UTF-16 for the Win32 wide-character APIs.
#pragma once

#include <string>
#include <string_view>

namespace guru::platform::win32 {

/// UTF-8 to UTF-16; invalid sequences become U+FFFD.
std::wstring widen(std::string_view utf8);
/// UTF-16 to UTF-8; unpaired surrogates become U+FFFD.
std::string narrow(std::wstring_view utf16);

}  // namespace guru::platform::win32
