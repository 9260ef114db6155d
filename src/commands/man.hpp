// Man pages generated from the CLI11 command tree, the same tree the help is printed from (issue
// 13): one page per command ("karmadactl.1", "karmadactl-init.1", "karmadactl-token-create.1").
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace kctl::cli {

// The visible commands under `root` as paths ({}, {"init"}, {"token", "create"}, ...), depth first.
// Hidden commands (an empty help group) are left out.
std::vector<std::vector<const CLI::App*>> visible_command_paths(const CLI::App& root);

// Every man page of the tree under `root`, by file name ("karmadactl-token-create.1"), in roff
// (groff -man). `version` goes into the page header ("karmadactl v0.1.0").
std::map<std::string, std::string> man_pages(const CLI::App& root, const std::string& version);

// Splits a command's help text into its description and the examples after an "Examples:" line.
struct HelpText {
  std::string description;
  std::string examples;
};
HelpText help_text(const CLI::App& app);

} // namespace kctl::cli
