#include "commands/version.hpp"

#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "output/stream.hpp"
#include "util/build_info.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct VersionOptions {
  std::string output;
};

Result<ExitCode>
run_version(const VersionOptions& options) {
  Json info = version_info();
  if (options.output.empty()) {
    fmt::print("{}\n", version_text(info));
  } else {
    fmt::print("{}", output::render_one(options.output, std::move(info)));
  }
  return ExitCode::ok;
}

// Upstream's struct field names are Go's; ours add the control-plane version this build targets.
constexpr std::pair<const char*, const char*> k_text_fields[] = {
    {"GitVersion", "gitVersion"},
    {"GitCommit", "gitCommit"},
    {"GitShortCommit", "gitShortCommit"},
    {"GitTreeState", "gitTreeState"},
    {"BuildDate", "buildDate"},
    {"Compiler", "compiler"},
    {"Platform", "platform"},
    {"KarmadaVersion", "karmadaVersion"},
};

} // namespace

Json
version_info() {
  std::string commit(build_info::k_git_commit);
  return Json{
      {"gitVersion", build_info::k_version},
      {"gitCommit", commit},
      {"gitShortCommit", commit.substr(0, 7)},
      {"gitTreeState", build_info::k_git_tree_state},
      {"buildDate", build_info::k_build_date},
      {"compiler", build_info::k_compiler},
      {"platform", build_info::k_platform},
      {"karmadaVersion", build_info::k_karmada_version},
  };
}

std::string
version_text(const Json& info) {
  std::string fields;
  for (const auto& [go_name, json_name] : k_text_fields) {
    fields += fmt::format(
        "{}{}:\"{}\"", fields.empty() ? "" : ", ", go_name, info.at(json_name).get<std::string>());
  }
  return fmt::format("karmadactl version: version.Info{{{}}}", fields);
}

void
setup_version(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<VersionOptions>();
  CLI::App* command = &app;
  set_kubectl_help(*command,
                   "",
                   with_program("  # Print the version\n  {program} version\n\n"
                                "  # Print it as JSON, for scripts\n  {program} version -o json",
                                invocation.program));
  add_output_flag(*command, options->output, {"json", "yaml"});
  defer_value_errors(*command, invocation.value_problems);
  command->callback(
      [&invocation, options] { invocation.action = [options] { return run_version(*options); }; });
}

} // namespace kctl::cli
