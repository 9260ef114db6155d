#include "unregister/flow.hpp"

#include "flow/delete.hpp"
#include "karmada/agent_deployment.hpp"
#include "karmada/clusters.hpp"
#include "karmada/namespaces.hpp"
#include "karmada/register_plan.hpp"

#include <fmt/format.h>

#include <thread>

namespace kctl::unregister {

namespace {

using flow::StepReporter;

// The Karmada client, once the preflight step has it.
const kube::Client&
karmada_client(const UnregisterRun& run) {
  return *run.karmada;
}

// Connects to Karmada with the agent's own kubeconfig, read through its Deployment.
Status
connect_as_agent(UnregisterRun& run, const std::optional<Json>& deployment) {
  if (!deployment) {
    return failf("no Deployment {}/{} in the member cluster to take the Karmada credentials "
                 "from; give the Karmada API server with --karmada-config",
                 run.spec.namespace_name,
                 run.spec.agent_name);
  }
  KCTL_TRY_ASSIGN(kube::RestConfig rest, karmada::agent_karmada_config(run.member, *deployment));
  KCTL_TRY_ASSIGN(kube::Client client, run.connect(rest));
  run.karmada = std::move(client);
  return {};
}

// Reads the agent and the Cluster; a cluster that is not in Pull mode is unjoin's to remove.
Status
preflight(UnregisterRun& run) {
  const UnregisterSpec& spec = run.spec;
  KCTL_TRY_ASSIGN(
      std::optional<Json> deployment,
      with_context(
          run.member.get(
              kube::apps("deployments").in(spec.namespace_name).with_name(spec.agent_name)),
          "cannot read the member cluster"));
  if (!run.karmada) {
    KCTL_TRY(connect_as_agent(run, deployment));
  }
  KCTL_TRY_ASSIGN(std::optional<Json> cluster,
                  with_context(karmada_client(run).get(karmada::cluster_ref(spec.cluster_name)),
                               "cannot read the Cluster from the Karmada API server"));
  run.cluster_exists = cluster.has_value();
  std::string mode = cluster ? cluster->value("/spec/syncMode"_json_pointer, "") : "Pull";
  if (mode != "Pull") {
    return failf("cluster {} is registered in {} mode; remove it with \"{} unjoin {}\"",
                 spec.cluster_name,
                 mode,
                 spec.program,
                 spec.cluster_name);
  }
  return {};
}

// Deletes the cluster's Works and waits until the agent has removed their finalizers.
Status
delete_works(const UnregisterRun& run, StepReporter& r) {
  flow::Deleter deleter(karmada_client(run));
  kube::ResourceRef works = karmada::works_of(run.spec.cluster_name);
  auto deadline = std::chrono::steady_clock::now() + run.spec.wait;
  while (true) {
    auto list = deleter.client().list(works);
    if (!list && list.error().http_status == 404) {
      return {}; // no Work resource, or no execution space: nothing to delete
    }
    if (!list) {
      return std::unexpected(list.error().with_context("cannot list the cluster's Works"));
    }
    const Json items = list->value("items", Json::array());
    for (const auto& item : items) {
      if (!item.contains("/metadata/deletionTimestamp"_json_pointer)) {
        KCTL_TRY(deleter.remove_all(
            {works.with_name(item.value("/metadata/name"_json_pointer, ""))}, r));
      }
    }
    if (items.empty() || deleter.client().dry_run()) {
      return {};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return failf("{} Works in {} were not removed within --wait; the agent removes their "
                   "finalizers: check that it runs, or raise --wait",
                   items.size(),
                   works.namespace_name);
    }
    r.status(fmt::format("waiting for {} Works in {} to go", items.size(), works.namespace_name));
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

Status
delete_cluster(const UnregisterRun& run, StepReporter& r) {
  const std::string& name = run.spec.cluster_name;
  if (!run.cluster_exists) {
    r.detail(fmt::format("Cluster {} not found (already removed)", name));
    return {};
  }
  flow::Deleter deleter(karmada_client(run));
  KCTL_TRY(deleter.remove_all({karmada::cluster_ref(name)}, r));
  KCTL_TRY_ASSIGN(bool gone, deleter.wait_gone(karmada::cluster_ref(name), run.spec.wait, r));
  if (!gone) {
    auto cluster = deleter.client().get(karmada::cluster_ref(name));
    return failf("Cluster {} is still being deleted after --wait (finalizers: {}); check "
                 "karmada-controller-manager, or raise --wait",
                 name,
                 cluster && *cluster
                     ? (*cluster)->value("/metadata/finalizers"_json_pointer, Json::array()).dump()
                     : "unknown");
  }
  return {};
}

Status
delete_control_plane_objects(const UnregisterRun& run, StepReporter& r) {
  const UnregisterSpec& spec = run.spec;
  auto refs = karmada::control_plane_rbac_refs(spec.cluster_name, spec.cluster_namespace);
  if (!run.karmada_given) {
    std::string names;
    for (const auto& ref : refs) {
      names += "\n  " + flow::describe(ref);
    }
    r.detail(fmt::format("warning: the agent's credentials cannot remove its RBAC objects in the "
                         "control plane; give --karmada-config to remove them, or delete them by "
                         "hand:{}",
                         names));
    return {};
  }
  // The Lease last, once the RBAC that let the old agent renew it is gone, so that a new
  // registration of this cluster is Ready in seconds instead of after the Lease expires.
  refs.push_back(karmada::agent_lease_ref(spec.namespace_name, spec.cluster_name));
  return flow::Deleter(karmada_client(run)).remove_all(refs, r);
}

Status
delete_member_objects(const UnregisterRun& run, StepReporter& r) {
  const UnregisterSpec& spec = run.spec;
  std::vector<kube::ResourceRef> refs =
      karmada::member_refs(spec.namespace_name, spec.cluster_name, spec.cluster_namespace);
  refs.front().name = spec.agent_name;
  flow::Deleter deleter(run.member);
  KCTL_TRY(deleter.remove_all(refs, r));
  // Done when the namespaces are gone, not while they terminate: a register right after would
  // otherwise see its agent fail to create objects in them and restart.
  for (const auto& ref : refs) {
    if (ref.resource != "namespaces") {
      continue;
    }
    KCTL_TRY_ASSIGN(bool gone, deleter.wait_gone(ref, spec.wait, r));
    if (!gone) {
      return failf("namespace {} of the member cluster is still terminating after --wait; run "
                   "the same unregister again later, or raise --wait",
                   ref.name);
    }
  }
  return {};
}

Status
remove_legacy_files(UnregisterRun& run, StepReporter& r) {
  for (const auto& path : run.spec.legacy_files) {
    KCTL_TRY_ASSIGN(bool existed, run.files.remove(path));
    if (existed) {
      r.detail(fmt::format("{} removed{}", path, run.files.dry_run() ? " (dry run)" : ""));
    }
  }
  return {};
}

} // namespace

std::vector<std::string>
legacy_agent_files() {
  return {"/etc/karmada/karmada-agent.conf", "/etc/karmada/pki/ca.crt"};
}

std::vector<flow::Stage>
unregister_stages(UnregisterRun& run) {
  return {
      flow::one_step(run,
                     "preflight",
                     "Read the agent and the Cluster",
                     [](UnregisterRun& self, StepReporter&) { return preflight(self); }),
      flow::one_step(run, "works", "Delete the cluster's Works", delete_works),
      flow::one_step(run, "cluster", "Delete the Cluster", delete_cluster),
      flow::one_step(run,
                     "control-plane",
                     "Delete the agent's RBAC and leader-election Lease in the control plane",
                     delete_control_plane_objects),
      flow::one_step(run,
                     "member",
                     "Delete the agent and what it created in the member cluster",
                     delete_member_objects),
      flow::one_step(
          run, "files", "Remove the agent's files left by earlier versions", remove_legacy_files),
  };
}

} // namespace kctl::unregister
