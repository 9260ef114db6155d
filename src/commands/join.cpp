#include "commands/join.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "flow/steps.hpp"
#include "join/flow.hpp"
#include "karmada/clusters.hpp"
#include "karmada/join_plan.hpp"
#include "karmada/namespaces.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct JoinOptions {
  std::string cluster_name;
  ConnectionFlags karmada;
  ConnectionFlags member;
  std::string cluster_namespace = std::string(karmada::k_default_cluster_namespace);
  std::string provider;
  std::string region;
  std::vector<std::string> zones;
  std::string karmada_as;
  std::vector<std::string> karmada_as_groups;
  std::string karmada_as_uid;
  DryRunFlag dry_run;
};

// Every problem in join's flags and arguments (run before anything is read or contacted).
Problems
check_join(const JoinOptions& o) {
  Problems problems;
  if (o.cluster_name.empty()) {
    problems.add("the cluster name is required: join CLUSTER_NAME --cluster-kubeconfig=<file>");
  } else {
    problems.add_if_failed(karmada::validate_cluster_name(o.cluster_name, "CLUSTER_NAME"));
  }
  check_connection_flags(o.karmada, problems);
  check_connection_flags(o.member, problems, "--cluster-kubeconfig");
  if (o.cluster_namespace.empty()) {
    problems.add("--cluster-namespace must not be empty (default: {})",
                 karmada::k_default_cluster_namespace);
  }
  if (!o.karmada_as.empty() || !o.karmada_as_groups.empty() || !o.karmada_as_uid.empty()) {
    problems.add("--karmada-as, --karmada-as-group and --karmada-as-uid are not supported "
                 "yet; use a kubeconfig for the identity instead");
  }
  return problems;
}

// What to join, from the flags and the member's connection (its server, TLS and proxy).
karmada::JoinSpec
join_spec(const JoinOptions& o, const kube::RestConfig& member) {
  karmada::JoinSpec spec;
  spec.cluster_name = o.cluster_name;
  spec.cluster_namespace = o.cluster_namespace;
  spec.api_endpoint = member.server;
  spec.provider = o.provider;
  spec.region = o.region;
  spec.zones = o.zones;
  spec.insecure_skip_tls_verification = member.tls.verification == kube::TlsVerification::skip;
  spec.proxy_url = member.proxy_url;
  return spec;
}

Result<ExitCode>
run_join(const JoinOptions& o) {
  if (o.cluster_namespace == karmada::k_karmada_system) {
    fmt::print(stderr,
               "warning: karmada-system is the namespace of Karmada's own components; prefer "
               "the default karmada-cluster for member credentials\n");
  }
  kube::DryRun dry = o.dry_run.mode();
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, dry));
  KCTL_TRY_ASSIGN(Connection member, connect(o.member, ClusterRole::member, dry));
  join::JoinRun run(join_spec(o, member.rest), karmada.client, member.client);
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(join::run(run, progress));
  if (o.dry_run.requested()) {
    fmt::print("Dry run: cluster({}) would be joined; nothing was changed.\n", o.cluster_name);
  } else {
    fmt::print("cluster({}) is joined successfully\n", o.cluster_name);
  }
  return ExitCode::ok;
}

} // namespace

void
setup_join(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<JoinOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Register a cluster to Karmada control plane with Push mode.\n\n"
      "The member cluster gets a namespace (--cluster-namespace), the ServiceAccounts "
      "karmada-impersonator and karmada-<CLUSTER_NAME> with token Secrets, and a ClusterRole and "
      "ClusterRoleBinding karmada-controller-manager:karmada-<CLUSTER_NAME>. Karmada gets the "
      "member's credentials as Secrets <CLUSTER_NAME> and <CLUSTER_NAME>-impersonator and the "
      "Cluster object in Push mode.\n\n"
      "A name or cluster ID already registered is refused before anything is created. Running "
      "join again converges: objects that are already right are left alone, so a join that "
      "failed half-way is finished by running it again.",
      with_program(
          "  # Join cluster into karmada control plane, if '--cluster-context' not specified, "
          "take the current context of the member kubeconfig\n"
          "  {program} join CLUSTER_NAME --cluster-kubeconfig=<CLUSTER_KUBECONFIG>\n\n"
          "  # The Karmada API server's kubeconfig may be given before the command\n"
          "  {program} --kubeconfig /etc/karmada/karmada-apiserver.config join member1 "
          "--cluster-kubeconfig=$HOME/.kube/config\n\n"
          "  # See what would be created on both sides, and change nothing\n"
          "  {program} join member1 --cluster-kubeconfig=member1.config --dry-run",
          invocation.program));
  command->add_option("CLUSTER_NAME", options->cluster_name, "Name of the member cluster")
      ->required();
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  bind_member_flags(*command, options->member, "--cluster-kubeconfig", "--cluster-context");
  command
      ->add_option("--cluster-namespace",
                   options->cluster_namespace,
                   "Namespace in the control plane (and the member) where member cluster "
                   "credentials are stored")
      ->capture_default_str();
  command->add_option("--cluster-provider", options->provider, "Provider of the joining cluster");
  command->add_option("--cluster-region", options->region, "The region of the joining cluster");
  command->add_option("--cluster-zones", options->zones, "The zones of the joining cluster")
      ->delimiter(',');
  command->add_option(
      "--karmada-as", options->karmada_as, "Username to impersonate toward Karmada");
  command->add_option("--karmada-as-group",
                      options->karmada_as_groups,
                      "Group to impersonate toward Karmada (repeatable)");
  command->add_option(
      "--karmada-as-uid", options->karmada_as_uid, "UID to impersonate toward Karmada");
  bind_dry_run(*command, options->dry_run, DryRunStyle::boolean);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_join(*options); };
    invocation.action = [options] {
      return finish_dry_run(run_join(*options), options->dry_run.requested(), "join");
    };
  });
}

} // namespace kctl::cli
