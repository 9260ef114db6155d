// `deinit` as a list of steps: delete what init created in the host namespace (by its label),
// take the etcd label off the nodes, and with --purge-namespace the namespace. flow::Deleter makes
// the deletes; the host client says whether it is a dry run. The checks before (member clusters
// still registered, the question) stay with the command.
#pragma once

#include "flow/steps.hpp"
#include "karmada/namespaces.hpp"
#include "kube/client.hpp"
#include "kube/resource.hpp"

#include <string>
#include <vector>

namespace kctl::deinit {

struct DeinitSpec {
  std::string namespace_name = std::string(karmada::k_karmada_system);
  bool purge_namespace = false;
  bool purge_etcd_pvcs = false; // delete the etcd PersistentVolumeClaims too
};

struct DeinitRun {
  DeinitSpec spec;
  kube::Client host;
};

// The kinds init creates in the host namespace, each object labelled karmada.io/bootstrapping:
// Deployments, StatefulSets, Services, Secrets and, when asked, PersistentVolumeClaims.
std::vector<kube::ResourceRef> owned_kinds(const std::string& namespace_name, bool with_pvcs);

// The stages of `deinit`: delete and etcd-nodes together, then namespace with purge_namespace.
std::vector<flow::Stage> deinit_stages(DeinitRun& run);

// What is left to do when the namespace is gone already (an earlier deinit): etcd-nodes.
std::vector<flow::Stage> leftover_stages(DeinitRun& run);

} // namespace kctl::deinit
