// The shape every subcommand shares. A command file declares an options struct, binds its flags in
// `setup`, and records in `Invocation::action` what to run; the action runs after parsing, in
// main, so every runtime error reaches one handler and one exit-code mapping.
#pragma once

#include "util/problems.hpp"
#include "util/result.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace kctl::cli {

enum class ExitCode : int { ok = 0, failure = 1, usage = 2, interrupted = 130 };

// Work chosen by the command line, run once parsing has succeeded.
using Action = std::function<Result<ExitCode>()>;

// State of one run of the program, shared by all commands' setup functions.
struct Invocation {
  // How the user invoked us: "karmadactl", or "kubectl karmada" when run as the kubectl plugin.
  // Help examples and printed follow-up commands use it.
  std::string program = "karmadactl";
  Action action;
  // The chosen command's checks of its flags and arguments, set with `action`. They run after
  // parsing and before the action, touch no cluster and no file, and every problem they return is
  // reported in one message (exit code 2); the action then does not run.
  std::function<Problems()> validate;
  // Flag values that did not convert or pass a fixed check while parsing (see
  // defer_value_errors): reported together with `validate`'s problems or a parse error.
  Problems value_problems;
};

// The end of a command that has --dry-run: a dry run that failed made no plan, whatever it
// printed before it stopped (and a read it could not make is a failure, never an empty answer),
// so its error gets a last line saying so, "error: <command> --dry-run could not make its plan
// ...". Anything else (success, a real run, a usage error) is returned as it is.
Result<ExitCode> finish_dry_run(Result<ExitCode> result, bool dry_run, std::string_view command);

// One row of the command registry; help groups, completion and man pages all derive from it.
struct CommandSpec {
  std::string_view name;
  std::string_view group;
  // The one-line summary: root help, command completion, the man pages' command lists.
  std::string_view summary;
  // Binds the flags, help text and subcommands of `command` (already added to the root with the
  // name, summary and group above); the subcommand's callback sets `invocation.action`. Only the
  // commands a run can reach are set up (see cli.cpp, `add_commands`).
  void (*setup)(CLI::App& command, Invocation& invocation);
};

// Help groups, in upstream karmadactl's order.
inline constexpr std::string_view k_group_basic = "Basic Commands";
inline constexpr std::string_view k_group_registration = "Cluster Registration Commands";
inline constexpr std::string_view k_group_management = "Cluster Management Commands";
inline constexpr std::string_view k_group_troubleshooting =
    "Troubleshooting and Debugging Commands";
inline constexpr std::string_view k_group_advanced = "Advanced Commands";
inline constexpr std::string_view k_group_settings = "Settings Commands";
inline constexpr std::string_view k_group_other = "Other Commands";

// Every registered command. Only commands that work are listed here.
std::span<const CommandSpec> registry();

// Replaces each "%[1]s"-free "{program}" placeholder in help text with the invocation's name.
std::string with_program(std::string_view text, std::string_view program);

} // namespace kctl::cli
