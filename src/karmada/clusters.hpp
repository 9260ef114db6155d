// The Karmada API as this tool uses it: Cluster objects, their listing and the checks that keep a
// member from being registered twice. Pure functions over a kube::Client; no CLI, no printing.
#pragma once

#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::karmada {

inline constexpr std::string_view k_cluster_group = "cluster.karmada.io";
inline constexpr std::string_view k_cluster_version = "v1alpha1";
inline constexpr std::string_view k_cluster_kind = "Cluster";
// Label upstream puts on every object it creates for Karmada's own use.
inline constexpr std::string_view k_system_label = "karmada.io/system";
// The taint cordon adds.
inline constexpr std::string_view k_unschedulable_taint = "cluster.karmada.io/unschedulable";

// The longest name Karmada accepts for a Cluster (its execution namespace karmada-es-<name> must
// stay a DNS-1123 label).
inline constexpr std::size_t k_max_cluster_name_length = 48;

// Checks a cluster name as Karmada's API server validates every Cluster's (ValidateClusterName:
// a DNS-1123 label of at most 48 characters); a usage error otherwise. The one check of a cluster
// name: join and register check the name they will create (`chosen_by` names the flag or argument
// that chose it); the commands that act on existing Clusters (label, annotate, delete, taint,
// cordon, get, -C) pass "" and refuse, before any request, a name no Cluster can have.
Status validate_cluster_name(std::string_view name, std::string_view chosen_by = "--cluster-name");

// The ref of Cluster `name` ("" for the collection).
kube::ResourceRef cluster_ref(std::string name = {});
// The Works Karmada keeps for `cluster` (in its execution space).
kube::ResourceRef works_of(std::string_view cluster);

// What this tool needs to know of a registered cluster.
struct ClusterSummary {
  std::string name;
  std::string id;        // spec.id: the UID of the member's kube-system namespace
  std::string sync_mode; // Push or Pull
  std::string api_endpoint;
};

// Returns the summary of a Cluster object.
ClusterSummary summarize_cluster(const Json& cluster);

// Lists the Clusters of the Karmada API server (optionally filtered by a label selector).
Result<std::vector<ClusterSummary>> list_clusters(const kube::Client& karmada,
                                                  std::string_view label_selector = {});

// The Cluster named `name`, nullopt when there is none.
Result<std::optional<ClusterSummary>> find_cluster(const kube::Client& karmada,
                                                   const std::string& name);

// Why a member cannot be registered under `name`; nullopt when nothing is in the way. A cluster
// is taken when another Cluster has the same name or the same spec.id (the same member under a
// second name), as upstream checks before join and as the agent checks before register.
std::optional<std::string> registration_conflict(const std::vector<ClusterSummary>& clusters,
                                                 std::string_view name,
                                                 std::string_view cluster_id);

// The ID of a member cluster: the UID of its kube-system Namespace (upstream's definition).
Result<std::string> member_cluster_id(const kube::Client& member);

} // namespace kctl::karmada
