// Help in kubectl's shape for the kubectl-like commands (join, get, label, ...): the long
// description, then Examples, then usage and flags. The short description stays the one-liner the
// root command lists.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace kctl::cli {

// Gives `command` a help page of `long_description`, "Examples:" with `examples` (already
// indented, {program} replaced), then usage and flags.
void set_kubectl_help(CLI::App& command, std::string long_description, std::string examples);

} // namespace kctl::cli
