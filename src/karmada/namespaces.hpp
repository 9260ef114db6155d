// The namespaces Karmada's objects live in, each named once.
#pragma once

#include <string>
#include <string_view>

namespace kctl::karmada {

// The control plane (init, deinit) and, in a member cluster, the agent (register, unregister).
inline constexpr std::string_view k_karmada_system = "karmada-system";
// On the Karmada API server: the Secrets that let the control plane reach a member cluster.
inline constexpr std::string_view k_karmada_cluster = "karmada-cluster";
// Bootstrap tokens, and the cluster-info ConfigMap that discovery reads.
inline constexpr std::string_view k_kube_system = "kube-system";
inline constexpr std::string_view k_kube_public = "kube-public";

// The execution space of a member cluster: where Karmada keeps the Works for it.
inline std::string
execution_space(std::string_view cluster_name) {
  return "karmada-es-" + std::string(cluster_name);
}

} // namespace kctl::karmada
