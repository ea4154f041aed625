// Reading small text files whole (the /proc and /etc files of the Linux snapshot).
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace guru::platform::linux_files {

/// The file's contents, at most `limit` bytes; the error is strerror's text.
Result<std::string, std::string> readText(const std::string& path, std::size_t limit = 4 * 1024 * 1024);

/// The last `limit` bytes of the file (a log's newest lines).
Result<std::string, std::string> readTail(const std::string& path, std::size_t limit);

}  // namespace guru::platform::linux_files
