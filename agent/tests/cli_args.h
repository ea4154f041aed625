// Test helper: cli::parse over a list of arguments, as main() would receive them.
#pragma once

#include <string>
#include <vector>

#include "options.h"

namespace guru::testing {

/// Parses `args` (without the program name); `ok` says whether parse accepted them.
inline cli::Options parseArgs(std::vector<std::string> args, bool& ok) {
    args.insert(args.begin(), "guruconnect-agent");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    cli::Options o;
    ok = cli::parse(static_cast<int>(argv.size()), argv.data(), o);
    return o;
}

}  // namespace guru::testing
