#include "commands/cli.hpp"

#include "commands/columns.hpp"
#include "commands/command.hpp"
#include "commands/completion.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/log_flags.hpp"
#include "util/interrupt.hpp"
#include "util/log.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <optional>

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

// The command path without the program name ("token create"; "" at the top), for titles.
std::string
command_words(CLI::App& root) {
  std::string path = command_path(root);
  size_t space = path.find(' ');
  return space == std::string::npos ? std::string() : path.substr(space + 1);
}

// The deepest subcommand the parser had reached.
CLI::App&
chosen_command(CLI::App& root) {
  CLI::App* current = &root;
  while (!current->get_subcommands().empty()) {
    current = current->get_subcommands().front();
  }
  return *current;
}

// CLI11's parse errors in kubectl's (cobra's) words, one line per problem.
std::vector<std::string>
parse_error_lines(CLI::App& root, const CLI::ParseError& error) {
  std::string what = error.what();
  std::vector<std::string> lines;
  CLI::App& command = chosen_command(root);
  bool extras = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr;
  bool required = dynamic_cast<const CLI::RequiredError*>(&error) != nullptr;
  if (extras || required) {
    // Also for a missing subcommand: "token frobnicate" is an unknown command first of all.
    for (const std::string& extra : root.remaining(true)) {
      if (extra.starts_with("--")) {
        lines.push_back("unknown flag: " + extra.substr(0, extra.find('=')));
      } else if (extra.starts_with("-") && extra.size() > 1) {
        lines.push_back(fmt::format("unknown shorthand flag: '{}' in {}", extra[1], extra));
      } else if (!command.get_subcommands([](CLI::App*) { return true; }).empty()) {
        lines.push_back(
            fmt::format("unknown command \"{}\" for \"{}\"", extra, command_path(root)));
      } else {
        lines.push_back(fmt::format("unexpected argument \"{}\"", extra));
      }
    }
  }
  if (required && lines.empty() && what.starts_with("A subcommand is required")) {
    std::string names;
    for (const CLI::App* sub :
         command.get_subcommands([](CLI::App* app) { return !app->get_group().empty(); })) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    lines.push_back(fmt::format("{} needs a subcommand: one of {}", command_path(root), names));
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr &&
             what.ends_with(" missing") && what.find(" required ") != std::string::npos) {
    // "--port: 1 required INT missing"
    lines.push_back("flag needs an argument: " + what.substr(0, what.find(':')));
  } else if (what.starts_with("Could not convert: ")) {
    // "Could not convert: --port = abc" (a value outside what defer_value_errors checks)
    std::string rest = what.substr(std::string_view("Could not convert: ").size());
    size_t equals = rest.find(" = ");
    if (equals != std::string::npos) {
      lines.push_back(fmt::format("invalid argument \"{}\" for \"{}\" flag: not a valid value",
                                  rest.substr(equals + 3),
                                  rest.substr(0, equals)));
    }
  }
  if (lines.empty()) {
    lines.push_back(what);
  }
  // An extra argument can be left over in a subcommand and in its parent.
  std::vector<std::string> unique;
  for (auto& line : lines) {
    if (std::find(unique.begin(), unique.end(), line) == unique.end()) {
      unique.push_back(std::move(line));
    }
  }
  return unique;
}

// Prints one usage error with every problem and a pointer to the help; returns exit code 2.
int
report_usage_problems(CLI::App& root, const Problems& problems) {
  std::string words = command_words(root);
  std::string title =
      words.empty() ? std::string("invalid arguments") : fmt::format("invalid {} options", words);
  fmt::print(stderr,
             "error: {}\nSee '{} --help' for usage.\n",
             terminal::escape(problems.error(title).message),
             command_path(root));
  return static_cast<int>(ExitCode::usage);
}

int
report_parse_error(CLI::App& root, const CLI::ParseError& error, const Problems& value_problems) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    // --help (CLI11 reports it as a "parse error" carrying success).
    return root.exit(error);
  }
  Problems problems = value_problems;
  for (auto& line : parse_error_lines(root, error)) {
    problems.add_line(std::move(line));
  }
  return report_usage_problems(root, problems);
}

int
run_action(const Action& action) {
  try {
    Result<ExitCode> result = action();
    if (!result) {
      // The one place a command's error is printed. Its message may carry a server's words (a
      // Status message, a name): escaped, so they cannot drive the terminal (issue 20).
      fmt::print(stderr, "error: {}\n", terminal::escape(result.error().message));
      return static_cast<int>(result.error().reason == k_reason_usage ? ExitCode::usage
                                                                      : ExitCode::failure);
    }
    return static_cast<int>(*result);
  } catch (const std::exception& e) {
    // Library code returns errors; an exception here is a bug, but it still must not exit 0.
    fmt::print(stderr, "error: {}\n", terminal::escape(e.what()));
    return static_cast<int>(ExitCode::failure);
  }
}

// The hidden command that writes man/ and completions/ from the whole command tree.
constexpr std::string_view k_gen_docs_command = "__gen-docs";

// The command word of `args` (normalised, connection flags hoisted behind it): the first word that
// is neither a root flag nor the value of -v; "" when there is none.
std::string
command_word(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      return {};
    }
    if (arg == "-v" || arg == "--v") {
      ++i;
    } else if (!arg.starts_with("-") || arg == "-") {
      return arg;
    }
  }
  return {};
}

// As cobra does, an unknown command is an error (exit 1) whatever follows it, --help included:
// root help for a mistyped command would read as success.
std::optional<int>
reject_unknown_command(CLI::App& root, const std::vector<std::string>& args) {
  std::string word = command_word(args);
  auto named_word = [&word](CLI::App* command) { return command->get_name() == word; };
  if (word.empty() || !root.get_subcommands(named_word).empty()) {
    return std::nullopt;
  }
  fmt::print(stderr,
             "error: unknown command \"{}\" for \"{}\"\nRun '{} --help' for usage.\n",
             terminal::escape_line(word),
             root.get_name(),
             root.get_name());
  return static_cast<int>(ExitCode::failure);
}

} // namespace

Result<ExitCode>
finish_dry_run(Result<ExitCode> result, bool dry_run, std::string_view command) {
  if (!dry_run || result || result.error().reason == k_reason_usage) {
    return result;
  }
  Error error = std::move(result).error();
  error.message += fmt::format("\nerror: {} --dry-run could not make its plan (the error above): "
                               "it cannot say what {} would do, and it changed nothing",
                               command,
                               command);
  return std::unexpected(std::move(error));
}

void
add_commands(CLI::App& root, Invocation& invocation, const std::vector<std::string>& args) {
  auto named = [&args](std::string_view word) {
    return std::find(args.begin(), args.end(), word) != args.end();
  };
  const bool whole_tree = named(k_gen_docs_command);
  // Before the commands are added: each copies the root's formatter.
  install_kubectl_help(root);
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

namespace {

// `help [COMMAND...]`, as cobra's help command: the root's help, or the command's (the same as
// `COMMAND... --help`). An unknown topic is said on stderr, after which the root's help is printed
// and the exit code is 1 (upstream exits 0: a script asking for a command that is not there should
// hear it).
std::optional<int>
run_help_command(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1] != "help") {
    return std::nullopt;
  }
  std::vector<std::string> topic(args.begin() + 2, args.end());
  if (!topic.empty()) {
    const auto specs = registry();
    bool known = std::any_of(specs.begin(), specs.end(), [&](const CommandSpec& spec) {
      return spec.name == topic.front();
    });
    if (!known) {
      fmt::print(stderr, "Unknown help topic [`{}`]\n", terminal::escape_line(topic.front()));
      run({args.front(), "--help"});
      return static_cast<int>(ExitCode::failure);
    }
  }
  topic.insert(topic.begin(), args.front());
  topic.emplace_back("--help");
  return run(topic);
}

} // namespace

int
run(const std::vector<std::string>& args) {
  if (std::optional<int> help = run_help_command(args)) {
    return *help;
  }
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
  LogFlags log_flags;
  bind_log_flags(root, log_flags);
  add_commands(root,
               invocation,
               std::vector<std::string>(args.begin() + (args.empty() ? 0 : 1), args.end()));
  // Shell completion asks `karmadactl __complete WORD... CURRENT` (issue 13): never parsed.
  if (args.size() > 1 && args[1] == k_complete_command) {
    return run_complete_request(root, std::vector<std::string>(args.begin() + 2, args.end()));
  }
  // Scripts' tables in get's layout (scripts/demo.sh): hidden, never parsed.
  if (args.size() == 2 && args[1] == k_columns_command) {
    return run_columns_request();
  }

  std::vector<std::string> reversed = hoist_connection_flags(normalize_flag_names(
      std::vector<std::string>(args.begin() + (args.empty() ? 0 : 1), args.end())));
  if (std::optional<int> unknown = reject_unknown_command(root, reversed)) {
    return *unknown;
  }
  std::reverse(reversed.begin(), reversed.end());
  try {
    root.parse(reversed);
  } catch (const CLI::ParseError& error) {
    return report_parse_error(root, error, invocation.value_problems);
  }
  log::set_verbosity(verbosity);
  if (Status logging = apply_log_flags(log_flags); !logging) {
    invocation.value_problems.add("{}", logging.error().message);
  }
  // Every problem in what the user typed, before anything is read or contacted.
  Problems problems = invocation.value_problems;
  if (invocation.validate) {
    problems.append(invocation.validate());
  }
  if (!problems.empty()) {
    return report_usage_problems(root, problems);
  }
  if (!invocation.action) {
    fmt::print("{}", root.help());
    return static_cast<int>(ExitCode::ok);
  }
  return run_action(invocation.action);
}

} // namespace kctl::cli
