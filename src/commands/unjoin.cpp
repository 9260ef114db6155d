#include "commands/unjoin.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "flow/steps.hpp"
#include "karmada/join_plan.hpp"
#include "kube/kubeconfig.hpp"
#include "unjoin/flow.hpp"
#include "util/duration.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

using namespace std::chrono_literals;

struct UnjoinOptions {
  std::string cluster_name;
  ConnectionFlags karmada;
  ConnectionFlags member;
  std::string cluster_namespace = std::string(karmada::k_default_cluster_namespace);
  bool force = false;
  std::chrono::nanoseconds wait = 60s;
  DryRunFlag dry_run;
};

// upstream's --cluster-context defaults to the cluster name; a kubeconfig without such a context
// uses its current context instead of failing.
Result<ConnectionFlags>
member_flags(const UnjoinOptions& o) {
  ConnectionFlags flags = o.member;
  if (flags.context.empty()) {
    kube::ConnectionOptions options;
    options.kubeconfig = flags.kubeconfig;
    KCTL_TRY_ASSIGN(std::optional<kube::Kubeconfig> config,
                    kube::load_kubeconfig(options, kube::Environment::current()));
    if (config && config->contexts.contains(o.cluster_name)) {
      flags.context = o.cluster_name;
    }
  }
  return flags;
}

// Every problem in unjoin's flags and arguments (run before anything is read or contacted).
Problems
check_unjoin(const UnjoinOptions& o) {
  Problems problems;
  if (o.cluster_name.empty()) {
    problems.add("the cluster name is required: unjoin CLUSTER_NAME");
  }
  check_connection_flags(o.karmada, problems);
  check_connection_flags(o.member, problems, "--cluster-kubeconfig");
  if (!o.member.context.empty() && o.member.kubeconfig.empty()) {
    problems.add("--cluster-context {} needs --cluster-kubeconfig: the member is cleaned only "
                 "with its kubeconfig",
                 o.member.context);
  }
  if (o.cluster_namespace.empty()) {
    problems.add("--cluster-namespace must not be empty (default: {})",
                 karmada::k_default_cluster_namespace);
  }
  return problems;
}

Result<ExitCode>
run_unjoin(const UnjoinOptions& o) {
  kube::DryRun dry = o.dry_run.mode();
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, dry));
  unjoin::UnjoinRun run{
      o.cluster_name, o.cluster_namespace, o.force, o.wait, karmada.client, std::nullopt, {}};
  if (!o.member.kubeconfig.empty()) {
    KCTL_TRY_ASSIGN(ConnectionFlags flags, member_flags(o));
    KCTL_TRY_ASSIGN(Connection member, connect(flags, ClusterRole::member, dry));
    run.member = member.client;
  }
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(unjoin::run(run, progress));
  if (o.dry_run.requested()) {
    fmt::print("Dry run: cluster({}) would be unjoined; nothing was changed.\n", o.cluster_name);
  } else {
    fmt::print("cluster({}) is unjoined{}\n",
               o.cluster_name,
               run.member ? "" : " (the member cluster was not cleaned: no --cluster-kubeconfig)");
  }
  return ExitCode::ok;
}

} // namespace

void
setup_unjoin(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<UnjoinOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Remove a cluster from Karmada control plane (Push mode).\n\n"
      "Deletes the Cluster and waits (--wait) for karmada-controller-manager to remove what "
      "Karmada placed in the member; with --force, finalizers that do not finish in time are "
      "removed. With --cluster-kubeconfig, what join created in the member is deleted too: the "
      "ClusterRole and ClusterRoleBinding karmada-controller-manager:karmada-<CLUSTER_NAME>, the "
      "ServiceAccount and the namespace. Running unjoin again finishes what is left.",
      with_program("  # Unjoin cluster from karmada control plane, but not to remove resources "
                   "created by karmada in the unjoining cluster\n"
                   "  {program} unjoin CLUSTER_NAME\n\n"
                   "  # Unjoin cluster from karmada control plane and attempt to remove resources "
                   "created by karmada in the unjoining cluster\n"
                   "  {program} unjoin CLUSTER_NAME --cluster-kubeconfig=<CLUSTER_KUBECONFIG>\n\n"
                   "  # Unjoin cluster from karmada control plane with timeout\n"
                   "  {program} unjoin CLUSTER_NAME --cluster-kubeconfig=<CLUSTER_KUBECONFIG> "
                   "--wait 2m",
                   invocation.program));
  command->add_option("CLUSTER_NAME", options->cluster_name, "Name of the member cluster")
      ->required();
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  bind_member_flags(*command, options->member, "--cluster-kubeconfig", "--cluster-context");
  command
      ->add_option("--cluster-namespace",
                   options->cluster_namespace,
                   "Namespace in the control plane where member cluster secrets are stored")
      ->capture_default_str();
  command->add_flag("--force",
                    options->force,
                    "Delete cluster and secret resources even if resources in the cluster "
                    "targeted for unjoin are not removed successfully");
  bind_wait_flag(
      *command, options->wait, "wait for the unjoin operation to complete (Go duration)");
  bind_dry_run(*command, options->dry_run, DryRunStyle::boolean);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_unjoin(*options); };
    invocation.action = [options] {
      return finish_dry_run(run_unjoin(*options), options->dry_run.requested(), "unjoin");
    };
  });
}

} // namespace kctl::cli
