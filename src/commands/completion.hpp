#pragma once

#include "commands/command.hpp"

#include <string>

namespace kctl::cli {

// `completion bash|zsh|fish`: prints a completion script generated from the command tree.
void setup_completion(CLI::App& root, Invocation& invocation);

// The completion script for `shell` of the command tree under `root`.
std::string
completion_script(const CLI::App& root, const std::string& shell, const std::string& program);

} // namespace kctl::cli
