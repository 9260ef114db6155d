// `unjoin` (Push mode) as a list of steps: delete the Cluster and the credentials join stored in
// Karmada, then what join created in the member. A dry run is the clients' transport recording the
// deletes; the steps ask the client whether to wait for what a delete would have started.
#pragma once

#include "flow/steps.hpp"
#include "kube/client.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kctl::unjoin {

struct UnjoinRun {
  std::string cluster_name;
  std::string cluster_namespace; // where join stored the credentials, unless the Cluster says
  // --force: finalizers that do not finish within `wait` are removed, member errors are ignored.
  bool force = false;
  std::chrono::nanoseconds wait{std::chrono::seconds(60)};
  kube::Client karmada;
  std::optional<kube::Client> member; // nullopt: the member is not cleaned

  // Filled in by the steps: the namespace of the Cluster's secretRef, else cluster_namespace.
  std::string secret_namespace;
};

// The stages of `unjoin`, in order: cluster, then member when there is a member client.
std::vector<flow::Stage> unjoin_stages(UnjoinRun& run);

// Runs the stages; a failed stage names the step, the steps done and says to run unjoin again.
Status run(UnjoinRun& unjoin_run, flow::Progress& progress);

} // namespace kctl::unjoin
