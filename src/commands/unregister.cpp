#include "commands/unregister.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "flow/steps.hpp"
#include "unregister/flow.hpp"
#include "util/duration.hpp"

#include <fmt/format.h>

#include <memory>
#include <utility>

namespace kctl::cli {

namespace {

struct UnregisterOptions {
  unregister::UnregisterSpec spec;
  ConnectionFlags member;
  ConnectionFlags karmada;
  DryRunFlag dry_run;
};

// Every problem in unregister's flags and arguments (run before anything is read or contacted).
Problems
check_unregister(const UnregisterOptions& o) {
  Problems problems;
  if (o.spec.cluster_name.empty()) {
    problems.add("give the name of the cluster to unregister: unregister CLUSTER_NAME");
  }
  if (o.member.kubeconfig.empty()) {
    problems.add("--cluster-kubeconfig is required: the kubeconfig of the member cluster");
  }
  check_connection_flags(o.member, problems, "--cluster-kubeconfig");
  check_file_flag("--karmada-config", o.karmada.kubeconfig, problems);
  if (!o.karmada.context.empty() && o.karmada.kubeconfig.empty()) {
    problems.add("--karmada-context {} needs --karmada-config (without it the agent's own "
                 "credentials are used)",
                 o.karmada.context);
  }
  for (const auto& [flag, value] : {std::pair{"-n/--namespace", &o.spec.namespace_name},
                                    std::pair{"--agent-name", &o.spec.agent_name},
                                    std::pair{"--cluster-namespace", &o.spec.cluster_namespace}}) {
    if (value->empty()) {
      problems.add("{} must not be empty", flag);
    }
  }
  return problems;
}

Result<ExitCode>
run_unregister(const UnregisterOptions& o, const std::string& program) {
  kube::DryRun dry = o.dry_run.mode();
  KCTL_TRY_ASSIGN(Connection member, connect(o.member, ClusterRole::member, dry));
  unregister::UnregisterRun run{
      .spec = o.spec,
      .member = member.client,
      .karmada = std::nullopt,
      .karmada_given = !o.karmada.kubeconfig.empty(),
      .files = flow::LocalFiles(o.dry_run.requested() ? flow::LocalFiles::Mode::dry_run
                                                      : flow::LocalFiles::Mode::write),
      .connect = [dry](const kube::RestConfig& rest) { return kube::Client::connect(rest, dry); },
      .cluster_exists = false,
  };
  run.spec.program = program;
  if (run.karmada_given) {
    KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, dry));
    run.karmada = karmada.client;
  }
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(flow::run(unregister::unregister_stages(run),
                     progress,
                     "run the same unregister command again; it removes what is left"));
  if (o.dry_run.requested()) {
    fmt::print("Dry run: nothing was removed.\n");
    return ExitCode::ok;
  }
  fmt::print("cluster {} is unregistered\n", o.spec.cluster_name);
  return ExitCode::ok;
}

} // namespace

void
setup_unregister(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<UnregisterOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Remove a Pull-mode cluster from the Karmada control plane.\n\n"
      "Deletes the cluster's Works and the Cluster, waiting (--wait) for each to be gone; with "
      "--karmada-config, also the agent's RBAC in the control plane and its leader-election Lease "
      "(so that registering the cluster again is Ready in seconds, not after the Lease expires); "
      "then the agent and what it created in the member cluster, waiting until the member's "
      "namespaces are gone (so that a register right after finds a clean member). Running "
      "unregister again finishes what is left.",
      with_program(
          "  # Unregister cluster member3, using the agent's credentials for the control plane\n"
          "  {program} unregister member3 --cluster-kubeconfig=<member3 kubeconfig>\n\n"
          "  # Also remove the agent's RBAC and Lease in the control plane\n"
          "  {program} unregister member3 --cluster-kubeconfig=<member3 kubeconfig> "
          "--karmada-config=<karmada-apiserver.config>",
          invocation.program));
  command->add_option("cluster", o->spec.cluster_name, "Name of the cluster")
      ->type_name("CLUSTER_NAME");
  bind_member_flags(*command, o->member, "--cluster-kubeconfig", "--cluster-context");
  command->add_option("--karmada-config",
                      o->karmada.kubeconfig,
                      "Kubeconfig of the Karmada API server (default: the agent's own)");
  command->add_option("--karmada-context", o->karmada.context, "Context in --karmada-config");
  command->add_option("-n,--namespace", o->spec.namespace_name, "Member namespace of karmada-agent")
      ->capture_default_str();
  command->add_option("--agent-name", o->spec.agent_name, "Name of the karmada-agent Deployment")
      ->capture_default_str();
  command
      ->add_option("--cluster-namespace",
                   o->spec.cluster_namespace,
                   "Namespace where the cluster's secrets are stored")
      ->capture_default_str();
  bind_wait_flag(*command, o->spec.wait, "How long to wait for each removal");
  bind_dry_run(*command, o->dry_run, DryRunStyle::boolean);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o] {
    invocation.validate = [o] { return check_unregister(*o); };
    invocation.action = [o, program = invocation.program] {
      return finish_dry_run(run_unregister(*o, program), o->dry_run.requested(), "unregister");
    };
  });
}

} // namespace kctl::cli
