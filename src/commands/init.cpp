#include "commands/init.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/init_flags.hpp"
#include "commands/kubectl_help.hpp"
#include "init/flow.hpp"
#include "kube/rest_config.hpp"
#include "output/stream.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

// Secrets in a printed plan carry private keys: show their size, never their bytes.
Json
redact_secret(Json object) {
  if (object.value("kind", "") == "Secret" && object.contains("data")) {
    for (auto& [key, value] : object["data"].items()) {
      value = fmt::format("<redacted: {} base64 characters>", value.get<std::string>().size());
    }
  }
  return object;
}

struct InitCommandOptions {
  init::InitOptions init; // with the host's connection flags once parsed (take_host_flags)
  ConnectionFlags host;
  DryRunFlag dry_run;
  std::string output;
};

// The host cluster's flags go into init's options, where --config's hostCluster may fill them.
void
take_host_flags(InitCommandOptions& options) {
  options.init.kubeconfig = options.host.kubeconfig;
  options.init.context = options.host.context;
}

// Every problem in init's flags and --config file, before anything is contacted or written.
Problems
check_init(const InitCommandOptions& options) {
  Problems problems;
  if (!options.output.empty() && !options.dry_run.requested()) {
    problems.add("-o/--output {} prints the manifests of a plan: use it with --dry-run",
                 options.output);
  }
  check_connection_flags(options.host, problems);
  problems.append(init::check(options.init));
  return problems;
}

Result<ExitCode>
run_init(const InitCommandOptions& options, const std::string& program) {
  // Everything the user gave was checked (check_init) before the cluster is touched.
  KCTL_TRY_ASSIGN(init::ResolvedInit resolved, init::resolve(options.init));
  ConnectionFlags host_flags;
  host_flags.kubeconfig = resolved.kubeconfig;
  host_flags.context = resolved.context;
  KCTL_TRY_ASSIGN(Connection host, connect(host_flags, ClusterRole::host, options.dry_run.mode()));

  init::InitRun run(std::move(resolved), std::move(host.client));
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  if (options.dry_run.requested()) {
    fmt::print(stderr, "Dry run: nothing is written to the cluster or to local files.\n");
  }
  KCTL_TRY(flow::run(
      init::init_stages(run),
      progress,
      fmt::format("fix the cause and run the same `{} init` again; finished steps are kept",
                  program)));
  std::vector<Json> plan = run.plan.objects();
  // The one part of a plan made without reading the cluster: said on its last line.
  std::string unread =
      run.karmada_unread.empty()
          ? std::string{}
          : fmt::format(" (the Karmada API server at {} could not be read: {}; its objects are "
                        "planned as new, without the cluster's answers)",
                        run.karmada_server,
                        run.karmada_unread);
  if (!options.output.empty()) {
    output::ObjectStream stream(options.output);
    for (const auto& object : plan) {
      fmt::print("{}", stream.add(redact_secret(object)));
    }
    fmt::print("{}", stream.finish());
    if (!unread.empty()) {
      fmt::print(stderr, "Dry run: {} objects planned{}.\n", plan.size(), unread);
    }
  } else if (options.dry_run.requested()) {
    fmt::print("Dry run complete: {} objects planned{}. Run without --dry-run to install.\n",
               plan.size(),
               unread);
  } else {
    fmt::print("{}", init::success_banner(run, program));
  }
  return ExitCode::ok;
}

} // namespace

void
setup_init(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<InitCommandOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "",
      with_program("  # Install into the cluster of the current kubeconfig context\n"
                   "  {program} init\n\n"
                   "  # Keep files out of /etc and use a local CRD tarball (air-gapped)\n"
                   "  {program} init --karmada-data=$HOME/karmada --karmada-pki=$HOME/karmada/pki "
                   "--crds=./crds.tar.gz\n\n"
                   "  # See what would be created, as manifests\n"
                   "  {program} init --dry-run -o yaml\n\n"
                   "  # Re-running converges: existing valid certificates and objects are kept\n"
                   "  {program} init --karmada-data=$HOME/karmada",
                   invocation.program));
  bind_image_flags(*command, options->init);
  bind_init_flags(*command, options->init);
  bind_connection_flags(*command, options->host, ClusterRole::host);
  for (const char* flag : {"--kubeconfig", "--context"}) {
    command->get_option(flag)->group("Host cluster"); // the man page's section, with -n
  }
  bind_dry_run(*command, options->dry_run, DryRunStyle::boolean);
  add_output_flag(*command, options->output, {"yaml", "json"})
      ->description("With --dry-run: print every manifest (yaml|json)");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    take_host_flags(*options);
    invocation.validate = [options] { return check_init(*options); };
    invocation.action = [options, program = invocation.program] {
      return finish_dry_run(run_init(*options, program), options->dry_run.requested(), "init");
    };
  });
}

} // namespace kctl::cli
