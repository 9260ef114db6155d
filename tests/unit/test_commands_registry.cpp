// The command tree is built lazily (issue 14): every registered command is listed with its summary
// and group, and only the commands the arguments name are set up with their flags.
#include "commands/cli.hpp"
#include "commands/command.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using kctl::cli::add_commands;
using kctl::cli::Invocation;
using kctl::cli::registry;

namespace {

// Options of a subcommand besides CLI11's help flag.
size_t
own_options(const CLI::App& command) {
  size_t count = 0;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_name() != "--help") {
      ++count;
    }
  }
  return count;
}

} // namespace

TEST_CASE("add_commands lists every command and sets up only the named ones") {
  Invocation invocation;
  CLI::App root("test", "karmadactl");
  add_commands(root, invocation, {"--kubeconfig", "/k", "init", "--dry-run"});
  for (const auto& spec : registry()) {
    CAPTURE(spec.name);
    const CLI::App* command = root.get_subcommand(std::string(spec.name));
    CHECK(command->get_description() == spec.summary);
    CHECK(command->get_group() == spec.group);
    if (spec.name == "init") {
      CHECK(own_options(*command) > 50);
    } else {
      CHECK(own_options(*command) == 0);
      CHECK(command->get_subcommands({}).empty());
    }
  }
  // The hidden __gen-docs comes with completion's full set-up only.
  CHECK_THROWS(root.get_subcommand("__gen-docs"));
}

TEST_CASE("__gen-docs sets up the whole tree; setups keep the registry's summary") {
  Invocation invocation;
  CLI::App root("test", "karmadactl");
  add_commands(root, invocation, {"__gen-docs", "--man-dir", "man"});
  CHECK(root.get_subcommand("__gen-docs") != nullptr);
  for (const auto& spec : registry()) {
    CAPTURE(spec.name);
    const CLI::App* command = root.get_subcommand(std::string(spec.name));
    // A longer description (apply's) must still begin with the summary root help shows.
    CHECK(command->get_description().starts_with(spec.summary));
    CHECK(command->get_group() == spec.group);
    if (spec.name != "options") { // the one command without flags or subcommands of its own
      CHECK(own_options(*command) + command->get_subcommands({}).size() > 0);
    }
  }
}
