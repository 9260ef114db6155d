#include "unjoin/flow.hpp"

#include "flow/apply.hpp"
#include "flow/delete.hpp"
#include "karmada/clusters.hpp"
#include "karmada/join_plan.hpp"
#include "karmada/namespaces.hpp"

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
  const std::string space = karmada::execution_space(run.cluster_name);
  kube::ResourceRef works = karmada::works_of(run.cluster_name);
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
  kube::ResourceRef ns_ref = kube::core("namespaces").with_name(space);
  KCTL_TRY_ASSIGN(std::optional<Json> ns, run.karmada.get(ns_ref));
  if (ns && ns->value("/spec/finalizers"_json_pointer, Json::array()).size() > 0) {
    Json finalize = *ns;
    finalize["spec"]["finalizers"] = Json::array();
    KCTL_TRY(run.karmada.update(ns_ref.with_subresource("finalize"), finalize));
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
  flow::Deleter deleter(run.karmada);
  KCTL_TRY_ASSIGN(bool gone, deleter.wait_gone(ref, run.wait, reporter));
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
  KCTL_TRY_ASSIGN(bool forced, deleter.wait_gone(ref, 30s, reporter));
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
  KCTL_TRY(flow::Deleter(run.karmada).remove_all({ref}, reporter));
  return wait_cluster_gone(run, ref, reporter);
}

// The credentials join stored: garbage collection removes them through their owner reference;
// deleting them here also covers a join that stopped before setting it. Only Secrets join made
// (labelled karmada.io/system=true) are deleted.
Status
delete_credentials(const UnjoinRun& run, StepReporter& reporter) {
  karmada::JoinSpec spec;
  spec.cluster_name = run.cluster_name;
  flow::Deleter deleter(run.karmada);
  for (const std::string& secret : karmada::credential_secret_names(spec)) {
    kube::ResourceRef ref = kube::core("secrets").in(run.secret_namespace).with_name(secret);
    KCTL_TRY_ASSIGN(std::optional<Json> current, run.karmada.get(ref));
    if (!current) {
      continue;
    }
    Json labels = current->value("/metadata/labels"_json_pointer, Json::object());
    if (!labels.is_object() || labels.value(std::string(karmada::k_system_label), "") != "true") {
      continue;
    }
    KCTL_TRY(deleter.remove_all({ref}, reporter));
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
  KCTL_TRY_ASSIGN(
      bool gone,
      flow::Deleter(member).wait_gone(kube::core("namespaces").with_name(ns), run.wait, reporter));
  if (!gone && !run.force) {
    return failf(
        "Namespace {} of the member cluster is still terminating after {}s", ns, seconds(run.wait));
  }
  return {};
}

// Deletes `object` (its resource found by discovery); whether it existed.
Result<bool>
remove_object(const flow::Deleter& deleter, const Json& object, StepReporter& reporter) {
  KCTL_TRY_ASSIGN(kube::ResourceRef ref, deleter.client().ref_for(object));
  return deleter.remove(ref, reporter);
}

Status
unjoin_member(const UnjoinRun& run, StepReporter& reporter) {
  const kube::Client& member = *run.member;
  karmada::JoinSpec spec;
  spec.cluster_name = run.cluster_name;
  spec.cluster_namespace = run.cluster_namespace;
  flow::Deleter deleter(member);
  for (const Json& object : karmada::member_objects_to_remove(spec)) {
    std::string shown = flow::describe(object);
    auto outcome = remove_object(deleter, object, reporter);
    if (!outcome) {
      if (run.force) {
        reporter.detail(
            fmt::format("{}: {} (ignored with --force)", shown, outcome.error().message));
        continue;
      }
      return std::unexpected(outcome.error().with_context(fmt::format("delete {}", shown)));
    }
    if (!*outcome) {
      reporter.detail(fmt::format("{} already gone", shown));
    }
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
