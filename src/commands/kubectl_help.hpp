// Help in kubectl's shape for every command and the root: the long description, "Examples:", the
// commands (the root's in help groups), "Options:" as kubectl lists them
//     -n, --namespace='karmada-system':
//     	Namespace ...
// then "Usage:" and the pointers to more help. One formatter serves the whole tree, so every
// command's help looks the same; man pages read the description and examples from it too.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace kctl::cli {

// Installs the one help formatter on `root`. Commands added afterwards share it (CLI11 copies a
// parent's formatter into each new subcommand).
void install_kubectl_help(CLI::App& root);

// Gives `command` a help page of `long_description` (the one-line summary when empty) and
// "Examples:" with `examples` (already indented, {program} replaced).
void set_kubectl_help(CLI::App& command, std::string long_description, std::string examples);

// One flag as kubectl lists it in help and in `options`: "    -n, --namespace='karmada-system':",
// then the help text after a tab, then an empty line.
std::string kubectl_flag_entry(const CLI::Option& option);

} // namespace kctl::cli
