#include "unjoin/flow.hpp"

#include "flow/apply.hpp"
#include "karmada/clusters.hpp"
#include "karmada/join_plan.hpp"
#include "kube/wait_for.hpp"

#include <fmt/format.h>

namespace kctl::unjoin {

namespace {

using namespace std::chrono_literals;
using flow::StepReporter;

// "deleted", or "deleted (dry run)" when `client` only records its writes (Applier's phrasing).
std::string
done(const kube::Client& client, std::string_view word) {
  return client.dry_run() ? fmt::format("{} (dry run)", word) : std::string(word);
}

long long
seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration_cast<std::chrono::seconds>(duration).count();
}

// Watches `ref` until it is gone; false when `timeout` passes first.
Result<bool>
wait_gone(const kube::Client& client,
          const kube::ResourceRef& ref,
          std::chrono::nanoseconds timeout,
          StepReporter& reporter) {
  reporter.status(fmt::format("waiting for {} to be deleted", ref.describe()));
  return kube::wait_deleted(client, ref, timeout);
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
force_clean(const UnjoinRun& run, StepReporter& reporter) {
  const std::string space = "karmada-es-" + run.cluster_name;
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
                                done(run.karmada, "removed")));
  }
  kube::ResourceRef ns_ref{"", "v1", "namespaces", "", space, ""};
  KCTL_TRY_ASSIGN(std::optional<Json> ns, run.karmada.get(ns_ref));
  if (ns && ns->value("/spec/finalizers"_json_pointer, Json::array()).size() > 0) {
    Json finalize = *ns;
    finalize["spec"]["finalizers"] = Json::array();
    KCTL_TRY(run.karmada.update(kube::ResourceRef{"", "v1", "namespaces", "", space, "finalize"},
                                finalize));
    reporter.detail(fmt::format(
        "finalizer kubernetes of Namespace {} {}", space, done(run.karmada, "removed")));
  }
  KCTL_TRY(drop_finalizer(
      run.karmada, karmada::cluster_ref(run.cluster_name), "karmada.io/cluster-controller"));
  reporter.detail(fmt::format("finalizer karmada.io/cluster-controller of Cluster {} {}",
                              run.cluster_name,
                              done(run.karmada, "removed")));
  return {};
}

// Waits for the Cluster to go (karmada-controller-manager removes what it placed in the member
// first); with --force, removes the finalizers that did not finish in time. A dry run deleted
// nothing, so nothing is waited for.
Status
wait_cluster_gone(const UnjoinRun& run, const kube::ResourceRef& ref, StepReporter& reporter) {
  if (run.karmada.dry_run()) {
    return {};
  }
  KCTL_TRY_ASSIGN(bool gone, wait_gone(run.karmada, ref, run.wait, reporter));
  if (gone) {
    return {};
  }
  if (!run.force) {
    return failf("Cluster {} was not deleted within {}s: karmada-controller-manager has not "
                 "finished removing what it placed in the member (finalizers). Wait and run "
                 "unjoin again, or pass --force to remove the finalizers",
                 run.cluster_name,
                 seconds(run.wait));
  }
  KCTL_TRY(force_clean(run, reporter));
  KCTL_TRY_ASSIGN(bool forced, wait_gone(run.karmada, ref, 30s, reporter));
  if (!forced) {
    return failf("Cluster {} is still there after its finalizers were removed", run.cluster_name);
  }
  return {};
}

Status
delete_cluster(UnjoinRun& run, StepReporter& reporter) {
  kube::ResourceRef ref = karmada::cluster_ref(run.cluster_name);
  KCTL_TRY_ASSIGN(std::optional<Json> cluster, run.karmada.get(ref));
  run.secret_namespace = run.cluster_namespace;
  if (!cluster) {
    reporter.detail(
        fmt::format("Cluster {} is not registered (already unjoined)", run.cluster_name));
    return {};
  }
  if (cluster->value("/spec/syncMode"_json_pointer, std::string{}) == "Pull") {
    return failf("cluster {} is a Pull mode cluster (registered by karmada-agent); use "
                 "`unregister` to remove it",
                 run.cluster_name);
  }
  run.secret_namespace =
      cluster->value("/spec/secretRef/namespace"_json_pointer, run.cluster_namespace);
  KCTL_TRY(run.karmada.remove(ref));
  reporter.detail(fmt::format("Cluster {} {}", run.cluster_name, done(run.karmada, "deleted")));
  return wait_cluster_gone(run, ref, reporter);
}

// The credentials join stored: garbage collection removes them through their owner reference;
// deleting them here also covers a join that stopped before setting it. Only Secrets join made
// (labelled karmada.io/system=true) are deleted.
Status
delete_credentials(const UnjoinRun& run, StepReporter& reporter) {
  karmada::JoinSpec spec;
  spec.cluster_name = run.cluster_name;
  for (const std::string& secret : karmada::credential_secret_names(spec)) {
    kube::ResourceRef ref{"", "v1", "secrets", run.secret_namespace, secret, ""};
    KCTL_TRY_ASSIGN(std::optional<Json> current, run.karmada.get(ref));
    if (!current) {
      continue;
    }
    Json labels = current->value("/metadata/labels"_json_pointer, Json::object());
    if (!labels.is_object() || labels.value(std::string(karmada::k_system_label), "") != "true") {
      continue;
    }
    KCTL_TRY(run.karmada.remove(ref));
    reporter.detail(
        fmt::format("Secret {}/{} {}", run.secret_namespace, secret, done(run.karmada, "deleted")));
  }
  return {};
}

Status
unjoin_cluster(UnjoinRun& run, StepReporter& reporter) {
  KCTL_TRY(delete_cluster(run, reporter));
  return delete_credentials(run, reporter);
}

// A join right after must not meet a terminating namespace.
Status
wait_member_namespace_gone(const UnjoinRun& run,
                           const kube::Client& member,
                           const std::string& ns,
                           StepReporter& reporter) {
  if (member.dry_run()) {
    return {};
  }
  kube::ResourceRef ref{"", "v1", "namespaces", "", ns, ""};
  KCTL_TRY_ASSIGN(bool gone, wait_gone(member, ref, run.wait, reporter));
  if (!gone && !run.force) {
    return failf(
        "Namespace {} of the member cluster is still terminating after {}s", ns, seconds(run.wait));
  }
  return {};
}

Result<kube::DeleteOutcome>
remove_object(const kube::Client& client, const Json& object) {
  KCTL_TRY_ASSIGN(kube::ResourceRef ref, client.ref_for(object));
  return client.remove(ref);
}

Status
unjoin_member(const UnjoinRun& run, StepReporter& reporter) {
  const kube::Client& member = *run.member;
  karmada::JoinSpec spec;
  spec.cluster_name = run.cluster_name;
  spec.cluster_namespace = run.cluster_namespace;
  for (const Json& object : karmada::member_objects_to_remove(spec)) {
    std::string shown = flow::describe(object);
    auto outcome = remove_object(member, object);
    if (!outcome) {
      if (run.force) {
        reporter.detail(
            fmt::format("{}: {} (ignored with --force)", shown, outcome.error().message));
        continue;
      }
      return std::unexpected(outcome.error().with_context(fmt::format("delete {}", shown)));
    }
    reporter.detail(fmt::format("{} {}",
                                shown,
                                *outcome == kube::DeleteOutcome::not_found
                                    ? std::string("already gone")
                                    : done(member, "deleted")));
  }
  return wait_member_namespace_gone(run, member, spec.cluster_namespace, reporter);
}

} // namespace

std::vector<flow::Stage>
unjoin_stages(UnjoinRun& run) {
  std::vector<flow::Stage> stages = {
      {{{"cluster",
         "Delete the Cluster and its credentials in Karmada",
         [&run](StepReporter& r) { return unjoin_cluster(run, r); }}}},
  };
  if (run.member) {
    stages.push_back(
        {{{"member", "Remove what join created in the member cluster", [&run](StepReporter& r) {
             return unjoin_member(run, r);
           }}}});
  }
  return stages;
}

Status
run(UnjoinRun& unjoin_run, flow::Progress& progress) {
  return flow::run(
      unjoin_stages(unjoin_run), progress, "run the same unjoin again; it removes what is left");
}

} // namespace kctl::unjoin
