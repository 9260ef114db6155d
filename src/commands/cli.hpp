// The program's front door: parses the command line and runs the chosen command.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace kctl::cli {

struct Invocation;

// Runs the program with `args` (args[0] is the program path) and returns the process exit code:
// 0 success, 1 failure ("error: ..." on stderr), 2 usage error, 130 interrupted.
int run(const std::vector<std::string>& args);

// Gives `root` kubectl-shaped help and adds every registered command to it with its name, summary
// and help group, and sets up in full (flags, help, subcommands) only the commands that `args` (the
// words after the program name) name: a command not named cannot run, and root help and
// command-name completion need only the summaries. Binding every command's flags (init's eighty)
// was a quarter of `version`'s start-up. `__gen-docs` (man pages and completion scripts) gets the
// whole tree.
void add_commands(CLI::App& root, Invocation& invocation, const std::vector<std::string>& args);

// "kubectl karmada" when invoked through a kubectl-karmada name, else "karmadactl".
std::string program_name(const std::string& argv0);

} // namespace kctl::cli
