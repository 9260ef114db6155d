// Checks of flag values shared by commands. Each adds what is wrong to a Problems list (naming
// the flag, the value and what is accepted) and touches no cluster; a file flag's file is only
// looked at (stat), never read.
#pragma once

#include "commands/connection.hpp"
#include "util/problems.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::cli {

// A flag that names an input file: it must exist and be a regular file (not a directory).
// Empty (not given) passes.
void check_file_flag(std::string_view flag, const std::string& path, Problems& problems);

// --kubeconfig (or `kubeconfig_flag` for a member's flags) and --request-timeout.
void check_connection_flags(const ConnectionFlags& flags,
                            Problems& problems,
                            std::string_view kubeconfig_flag = "--kubeconfig");

// `value` of `flag` must be one of `accepted`.
void check_one_of(std::string_view flag,
                  const std::string& value,
                  const std::vector<std::string>& accepted,
                  Problems& problems);

} // namespace kctl::cli
