#include "commands/cli.hpp"

#include "commands/command.hpp"
#include "commands/completion.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "util/interrupt.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

namespace kctl::cli {

namespace {

constexpr const char* k_root_description = "karmadactl controls a Kubernetes Cluster Federation.";

// The subcommand path the parser had reached ("karmadactl token create"), for usage hints.
std::string
command_path(CLI::App& root) {
  std::string path = root.get_name();
  CLI::App* current = &root;
  while (true) {
    auto chosen = current->get_subcommands();
    if (chosen.empty()) {
      return path;
    }
    current = chosen.front();
    path += " " + current->get_name();
  }
}

int
report_parse_error(CLI::App& root, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    // --help (CLI11 reports it as a "parse error" carrying success).
    return root.exit(error);
  }
  fmt::print(stderr, "error: {}\nSee '{} --help' for usage.\n", error.what(), command_path(root));
  return static_cast<int>(ExitCode::usage);
}

int
run_action(const Action& action) {
  try {
    Result<ExitCode> result = action();
    if (!result) {
      fmt::print(stderr, "error: {}\n", result.error().message);
      return static_cast<int>(result.error().reason == k_reason_usage ? ExitCode::usage
                                                                      : ExitCode::failure);
    }
    return static_cast<int>(*result);
  } catch (const std::exception& e) {
    // Library code returns errors; an exception here is a bug, but it still must not exit 0.
    fmt::print(stderr, "error: {}\n", e.what());
    return static_cast<int>(ExitCode::failure);
  }
}

// The hidden command that writes man/ and completions/ from the whole command tree.
constexpr std::string_view k_gen_docs_command = "__gen-docs";

} // namespace

void
add_commands(CLI::App& root, Invocation& invocation, const std::vector<std::string>& args) {
  auto named = [&args](std::string_view word) {
    return std::find(args.begin(), args.end(), word) != args.end();
  };
  const bool whole_tree = named(k_gen_docs_command);
  for (const CommandSpec& spec : registry()) {
    CLI::App* command = root.add_subcommand(std::string(spec.name), std::string(spec.summary));
    command->group(std::string(spec.group));
    // A flag's value that happens to be a command name only costs that command's set-up.
    if (whole_tree || named(spec.name)) {
      spec.setup(*command, invocation);
    }
  }
}

std::string
program_name(const std::string& argv0) {
  std::string base = argv0.substr(argv0.find_last_of('/') + 1);
  return base.starts_with("kubectl-karmada") ? "kubectl karmada" : "karmadactl";
}

int
run(const std::vector<std::string>& args) {
  interrupt::install_handlers();
  Invocation invocation;
  invocation.program = program_name(args.empty() ? "karmadactl" : args.front());

  CLI::App root(k_root_description, invocation.program);
  root.fallthrough();
  // As with upstream (cobra), a repeated flag takes its last value; list flags keep every value.
  root.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  root.require_subcommand(0, 1);
  root.set_help_flag("-h,--help", "Print help and exit");
  int verbosity = 0;
  root.add_option("-v,--v", verbosity, "number for the log level verbosity")
      ->type_name("Level")
      ->default_val(0);
  add_commands(root,
               invocation,
               std::vector<std::string>(args.begin() + (args.empty() ? 0 : 1), args.end()));
  // Shell completion asks `karmadactl __complete WORD... CURRENT` (issue 13): never parsed.
  if (args.size() > 1 && args[1] == k_complete_command) {
    return run_complete_request(root, std::vector<std::string>(args.begin() + 2, args.end()));
  }

  std::vector<std::string> reversed = hoist_connection_flags(normalize_flag_names(
      std::vector<std::string>(args.begin() + (args.empty() ? 0 : 1), args.end())));
  std::reverse(reversed.begin(), reversed.end());
  try {
    root.parse(reversed);
  } catch (const CLI::ParseError& error) {
    return report_parse_error(root, error);
  }
  log::set_verbosity(verbosity);
  if (!invocation.action) {
    fmt::print("{}", root.help());
    return static_cast<int>(ExitCode::ok);
  }
  return run_action(invocation.action);
}

} // namespace kctl::cli
