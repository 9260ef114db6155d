// kubectl's describers of workloads: the pod template (containers, volumes, tolerations) they
// share, and the Deployment's own text. Pure.
#pragma once

#include "describe/writer.hpp"
#include "util/json.hpp"

#include <string>
#include <vector>

namespace kctl::describe {

// A metav1.LabelSelector as kubectl prints it: "app=web,tier in (a,b),!legacy", sorted by key.
std::string label_selector_text(const Json& selector);

// kubectl's "Pod Template:" block of a workload's spec.template.
void write_pod_template(Writer& w, const Json& template_spec);

// The Deployment's ReplicaSets as kubectl sorts them: the new one (its template is the
// Deployment's), and the others it controls.
struct DeploymentReplicaSets {
  std::vector<Json> old_sets;
  std::vector<Json> new_sets;
};
DeploymentReplicaSets split_replica_sets(const Json& deployment, const std::vector<Json>& sets);

// A Deployment's or ReplicaSet's "Conditions:" block (type, status, reason); nothing without any.
void write_controller_conditions(Writer& w, const Json& conditions);

std::string describe_deployment(const Json& deployment,
                                const std::optional<DeploymentReplicaSets>& replica_sets,
                                const std::optional<std::vector<Json>>& events,
                                std::chrono::system_clock::time_point now);

} // namespace kctl::describe
