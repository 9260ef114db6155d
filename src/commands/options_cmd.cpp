#include "commands/options_cmd.hpp"

#include "commands/kubectl_help.hpp"

#include <fmt/format.h>

namespace kctl::cli {

namespace {

Result<ExitCode>
run_options(const CLI::App& root) {
  fmt::print("The following options can be passed to any command:\n\n");
  for (const CLI::Option* option : root.get_options()) {
    if (option->get_group().empty()) {
      continue; // hidden
    }
    std::string names = option->get_name(false, true);
    std::string value = option->get_type_size() == 0 ? "" : "=" + option->get_default_str();
    fmt::print("    {}{}:\n        {}\n\n", names, value, option->get_description());
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
