// The program's front door: parses the command line and runs the chosen command.
#pragma once

#include <string>
#include <vector>

namespace kctl::cli {

// Runs the program with `args` (args[0] is the program path) and returns the process exit code:
// 0 success, 1 failure ("error: ..." on stderr), 2 usage error, 130 interrupted.
int run(const std::vector<std::string>& args);

// "kubectl karmada" when invoked through a kubectl-karmada name, else "karmadactl".
std::string program_name(const std::string& argv0);

} // namespace kctl::cli
