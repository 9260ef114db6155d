#pragma once

#include "commands/command.hpp"

#include <string>
#include <vector>

namespace kctl::cli {

// The hidden request the completion scripts send: `karmadactl __complete WORD... CURRENT`.
inline constexpr std::string_view k_complete_command = "__complete";

// `completion bash|zsh|fish|powershell`: prints a completion script; also adds the hidden
// `__gen-docs` command that writes completions/ and man/ from the command tree (issue 13).
void setup_completion(CLI::App& app, Invocation& invocation);

// The completion script for `shell` (bash, zsh, fish, powershell), for `program`.
std::string completion_script(const std::string& shell, const std::string& program);

// What to offer for the last word of `words` (the words after the program name, the last one
// being completed), like cobra's `__complete`: candidates, one per element ("value" or
// "value\tdescription"), and a directive: 1 error, 2 no space after the value, 4 no file names.
// Only the word being completed decides whether the kubeconfig is read (contexts) or the Karmada
// API server is asked (cluster names, namespaces; 2 s timeout).
struct Completions {
  std::vector<std::string> candidates;
  int directive = 0;
};
inline constexpr int k_directive_error = 1;
inline constexpr int k_directive_no_space = 2;
inline constexpr int k_directive_no_files = 4;
Completions complete_words(const CLI::App& root, const std::vector<std::string>& words);

// Answers a `__complete` request on stdout ("candidate" lines, then ":<directive>"); exit 0.
int run_complete_request(const CLI::App& root, const std::vector<std::string>& words);

} // namespace kctl::cli
