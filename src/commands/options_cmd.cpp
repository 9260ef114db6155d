#include "commands/options_cmd.hpp"

#include "commands/kubectl_help.hpp"

#include <fmt/format.h>

namespace kctl::cli {

namespace {

Result<ExitCode>
run_options(const CLI::App& root) {
  fmt::print("The following options can be passed to any command:\n\n");
  for (const CLI::Option* option : root.get_options()) {
    // Hidden flags have no group; -h/--help is every command's own, as with kubectl.
    if (!option->get_group().empty() && option != root.get_help_ptr()) {
      fmt::print("{}", kubectl_flag_entry(*option));
    }
  }
  return ExitCode::ok;
}

} // namespace

void
setup_options(CLI::App& app, Invocation& invocation) {
  CLI::App& root = *app.get_parent();
  CLI::App* command = &app;
  set_kubectl_help(*command,
                   "",
                   with_program("  # Print flags inherited by all commands\n"
                                "  {program} options",
                                invocation.program));
  command->callback(
      [&invocation, &root] { invocation.action = [&root] { return run_options(root); }; });
}

} // namespace kctl::cli
