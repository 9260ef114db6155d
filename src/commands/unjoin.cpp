#include "commands/unjoin.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "karmada/join_plan.hpp"
#include "kube/api_error.hpp"
#include "kube/kubeconfig.hpp"
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
  bool dry_run = false;
};

struct UnjoinRun {
  const UnjoinOptions& options;
  kube::Client karmada;
  std::optional<kube::Client> member;
  std::string secret_namespace; // from the Cluster's secretRef, else --cluster-namespace
};

std::string
would(const UnjoinRun& run, std::string_view done) {
  return run.options.dry_run ? fmt::format("would be {}", done) : std::string(done);
}

// Watches `ref` until it is gone; false when `timeout` passes first.
Result<bool>
wait_gone(const kube::Client& client,
          const kube::ResourceRef& ref,
          std::chrono::nanoseconds timeout,
          flow::StepReporter& reporter) {
  reporter.status(fmt::format("waiting for {} to be deleted", ref.describe()));
  return wait_deleted(client, ref, std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
}

// Removes `finalizer` from the object at `ref` (a merge patch of the remaining list).
Status
drop_finalizer(const kube::Client& client,
               const kube::ResourceRef& ref,
               std::string_view finalizer) {
  KCTL_TRY_ASSIGN(std::optional<Json> object, client.get(ref));
  if (!object) {
    return {};
  }
  Json finalizers = Json::array();
  bool had = false;
  for (const auto& entry : object->value("/metadata/finalizers"_json_pointer, Json::array())) {
    if (entry == finalizer) {
      had = true;
    } else {
      finalizers.push_back(entry);
    }
  }
  if (!had) {
    return {};
  }
  Json patch = {{"metadata",
                 {{"finalizers", finalizers},
                  {"resourceVersion",
                   object->value("/metadata/resourceVersion"_json_pointer, std::string{})}}}};
  KCTL_TRY(client.patch(ref, kube::PatchType::merge, patch));
  return {};
}

// What upstream's --force does when the Cluster does not go: the execution space's Works lose
// karmada.io/execution-controller, the namespace loses "kubernetes", the Cluster loses
// karmada.io/cluster-controller.
Status
force_clean(UnjoinRun& run, flow::StepReporter& reporter) {
  const std::string space = "karmada-es-" + run.options.cluster_name;
  kube::ResourceRef works{"work.karmada.io", "v1alpha1", "works", space, "", ""};
  auto listed = run.karmada.list(works);
  if (listed) {
    for (const auto& work : (*listed)["items"]) {
      std::string name = work.value("/metadata/name"_json_pointer, std::string{});
      KCTL_TRY(
          drop_finalizer(run.karmada, works.with_name(name), "karmada.io/execution-controller"));
    }
    reporter.detail(fmt::format("finalizers of {} Works in {} {}",
                                (*listed)["items"].size(),
                                space,
                                would(run, "removed")));
  }
  kube::ResourceRef ns_ref{"", "v1", "namespaces", "", space, ""};
  KCTL_TRY_ASSIGN(std::optional<Json> ns, run.karmada.get(ns_ref));
  if (ns && ns->value("/spec/finalizers"_json_pointer, Json::array()).size() > 0) {
    Json finalize = *ns;
    finalize["spec"]["finalizers"] = Json::array();
    KCTL_TRY(run.karmada.update(kube::ResourceRef{"", "v1", "namespaces", "", space, "finalize"},
                                finalize));
    reporter.detail(
        fmt::format("finalizer kubernetes of Namespace {} {}", space, would(run, "removed")));
  }
  KCTL_TRY(drop_finalizer(run.karmada,
                          karmada::cluster_ref(run.options.cluster_name),
                          "karmada.io/cluster-controller"));
  reporter.detail(fmt::format("finalizer karmada.io/cluster-controller of Cluster {} {}",
                              run.options.cluster_name,
                              would(run, "removed")));
  return {};
}

Status
unjoin_cluster(UnjoinRun& run, flow::StepReporter& reporter) {
  const std::string& name = run.options.cluster_name;
  kube::ResourceRef ref = karmada::cluster_ref(name);
  KCTL_TRY_ASSIGN(std::optional<Json> cluster, run.karmada.get(ref));
  run.secret_namespace = run.options.cluster_namespace;
  if (!cluster) {
    reporter.detail(fmt::format("Cluster {} is not registered (already unjoined)", name));
  } else {
    if (cluster->value("/spec/syncMode"_json_pointer, std::string{}) == "Pull") {
      return failf("cluster {} is a Pull mode cluster (registered by karmada-agent); use "
                   "`unregister` to remove it",
                   name);
    }
    run.secret_namespace =
        cluster->value("/spec/secretRef/namespace"_json_pointer, run.options.cluster_namespace);
    KCTL_TRY(run.karmada.remove(ref));
    reporter.detail(fmt::format("Cluster {} {}", name, would(run, "deleted")));
    if (!run.options.dry_run) {
      KCTL_TRY_ASSIGN(bool gone, wait_gone(run.karmada, ref, run.options.wait, reporter));
      if (!gone && !run.options.force) {
        return failf("Cluster {} was not deleted within {}s: karmada-controller-manager has not "
                     "finished removing what it placed in the member (finalizers). Wait and run "
                     "unjoin again, or pass --force to remove the finalizers",
                     name,
                     std::chrono::duration_cast<std::chrono::seconds>(run.options.wait).count());
      }
      if (!gone) {
        KCTL_TRY(force_clean(run, reporter));
        KCTL_TRY_ASSIGN(bool forced, wait_gone(run.karmada, ref, 30s, reporter));
        if (!forced) {
          return failf("Cluster {} is still there after its finalizers were removed", name);
        }
      }
    }
  }
  // The credentials join stored: garbage collection removes them through their owner reference;
  // deleting them here also covers a join that stopped before setting it.
  for (const std::string& secret : {name, name + "-impersonator"}) {
    kube::ResourceRef secret_ref{"", "v1", "secrets", run.secret_namespace, secret, ""};
    KCTL_TRY_ASSIGN(std::optional<Json> current, run.karmada.get(secret_ref));
    if (!current) {
      continue;
    }
    Json labels = current->value("/metadata/labels"_json_pointer, Json::object());
    if (!labels.is_object() || labels.value(std::string(karmada::k_system_label), "") != "true") {
      continue; // not one join made
    }
    KCTL_TRY(run.karmada.remove(secret_ref));
    reporter.detail(
        fmt::format("Secret {}/{} {}", run.secret_namespace, secret, would(run, "deleted")));
  }
  return {};
}

Status
unjoin_member(UnjoinRun& run, flow::StepReporter& reporter) {
  karmada::JoinSpec spec;
  spec.cluster_name = run.options.cluster_name;
  spec.cluster_namespace = run.options.cluster_namespace;
  std::string role = karmada::member_cluster_role(spec);
  std::vector<std::pair<kube::ResourceRef, std::string>> targets = {
      {{"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "", role, ""},
       "ClusterRoleBinding " + role},
      {{"rbac.authorization.k8s.io", "v1", "clusterroles", "", role, ""}, "ClusterRole " + role},
      {{"",
        "v1",
        "serviceaccounts",
        spec.cluster_namespace,
        karmada::member_service_account(spec),
        ""},
       "ServiceAccount " + spec.cluster_namespace + "/" + karmada::member_service_account(spec)},
      {{"", "v1", "namespaces", "", spec.cluster_namespace, ""},
       "Namespace " + spec.cluster_namespace},
  };
  for (const auto& [ref, shown] : targets) {
    auto outcome = run.member->remove(ref);
    if (!outcome) {
      if (run.options.force) {
        reporter.detail(
            fmt::format("{}: {} (ignored with --force)", shown, outcome.error().message));
        continue;
      }
      return std::unexpected(outcome.error().with_context(fmt::format("delete {}", shown)));
    }
    reporter.detail(fmt::format(
        "{} {}",
        shown,
        *outcome == kube::DeleteOutcome::not_found ? "already gone" : would(run, "deleted")));
  }
  if (!run.options.dry_run) {
    // A join right after must not meet a terminating namespace.
    kube::ResourceRef ns_ref{"", "v1", "namespaces", "", spec.cluster_namespace, ""};
    KCTL_TRY_ASSIGN(bool gone, wait_gone(*run.member, ns_ref, run.options.wait, reporter));
    if (!gone && !run.options.force) {
      return failf("Namespace {} of the member cluster is still terminating after {}s",
                   spec.cluster_namespace,
                   std::chrono::duration_cast<std::chrono::seconds>(run.options.wait).count());
    }
  }
  return {};
}

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
  if (o.wait.count() <= 0) {
    problems.add("invalid argument \"{}\" for \"--wait\" flag: must be positive (e.g. 60s, 2m)",
                 format_duration(o.wait));
  }
  return problems;
}

Result<ExitCode>
run_unjoin(const UnjoinOptions& o) {
  kube::DryRun dry = o.dry_run ? kube::DryRun::yes : kube::DryRun::no;
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, dry));
  UnjoinRun run{o, karmada.client, std::nullopt, {}};
  if (!o.member.kubeconfig.empty()) {
    KCTL_TRY_ASSIGN(ConnectionFlags flags, member_flags(o));
    KCTL_TRY_ASSIGN(Connection member, connect(flags, ClusterRole::member, dry));
    run.member = member.client;
  }
  std::vector<flow::Stage> stages = {
      {{{"cluster",
         "Delete the Cluster and its credentials in Karmada",
         [&](flow::StepReporter& r) { return unjoin_cluster(run, r); }}}},
  };
  if (run.member) {
    stages.push_back(
        {{{"member", "Remove what join created in the member cluster", [&](flow::StepReporter& r) {
             return unjoin_member(run, r);
           }}}});
  }
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(flow::run(stages, progress, "run the same unjoin again; it removes what is left"));
  if (o.dry_run) {
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
  add_duration_flag(*command,
                    "--wait",
                    options->wait,
                    "wait for the unjoin operation to complete (Go duration)",
                    BareNumber::seconds);
  command->add_flag("--dry-run", options->dry_run, "Show what would be removed and remove nothing");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_unjoin(*options); };
    invocation.action = [options] {
      return finish_dry_run(run_unjoin(*options), options->dry_run, "unjoin");
    };
  });
}

} // namespace kctl::cli
