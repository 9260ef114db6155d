// `unregister` as a list of steps: remove a Pull-mode cluster from Karmada (its Works, the
// Cluster, the agent's RBAC and Lease in the control plane) and then the agent from the member.
// Deleter and LocalFiles are the only side effects; the clients say whether it is a dry run.
#pragma once

#include "flow/files.hpp"
#include "flow/steps.hpp"
#include "karmada/namespaces.hpp"
#include "kube/client.hpp"
#include "kube/rest_config.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kctl::unregister {

// /etc/karmada/karmada-agent.conf and /etc/karmada/pki/ca.crt.
std::vector<std::string> legacy_agent_files();

struct UnregisterSpec {
  std::string cluster_name;
  std::string namespace_name = std::string(karmada::k_karmada_system); // the agent's namespace
  std::string agent_name = "karmada-agent";                            // the agent's Deployment
  // Where the agent reported its secrets.
  std::string cluster_namespace = std::string(karmada::k_karmada_cluster);
  std::chrono::nanoseconds wait{std::chrono::seconds(60)}; // for each removal
  std::string program;                                     // for advice ("karmadactl unjoin")
  // Files that old versions of the agent setup left on the machine; removed at the end.
  std::vector<std::string> legacy_files = legacy_agent_files();
};

struct UnregisterRun {
  UnregisterSpec spec;
  kube::Client member;
  // The Karmada API server as the operator gave it (--karmada-config): with it the agent's RBAC
  // and Lease there go too. Without it, the preflight step connects with the agent's own
  // kubeconfig through `connect`.
  std::optional<kube::Client> karmada;
  bool karmada_given = false;
  flow::LocalFiles files;
  std::function<Result<kube::Client>(const kube::RestConfig&)> connect;

  // Filled in by the steps.
  bool cluster_exists = false;
};

// The stages of `unregister`, in order.
std::vector<flow::Stage> unregister_stages(UnregisterRun& run);

} // namespace kctl::unregister
