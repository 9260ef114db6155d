#include "karmada/clusters.hpp"

#include <fmt/format.h>

namespace kctl::karmada {

kube::ResourceRef
cluster_ref(std::string name) {
  return {std::string(k_cluster_group),
          std::string(k_cluster_version),
          "clusters",
          "",
          std::move(name),
          ""};
}

ClusterSummary
summarize_cluster(const Json& cluster) {
  return {cluster.value("/metadata/name"_json_pointer, ""),
          cluster.value("/spec/id"_json_pointer, ""),
          cluster.value("/spec/syncMode"_json_pointer, ""),
          cluster.value("/spec/apiEndpoint"_json_pointer, "")};
}

Result<std::vector<ClusterSummary>>
list_clusters(const kube::Client& karmada, std::string_view label_selector) {
  kube::ListOptions options;
  options.label_selector = std::string(label_selector);
  KCTL_TRY_ASSIGN(Json list,
                  with_context(karmada.list(cluster_ref(), options),
                               "cannot list the clusters of the Karmada API server"));
  std::vector<ClusterSummary> clusters;
  for (const auto& item : list.value("items", Json::array())) {
    clusters.push_back(summarize_cluster(item));
  }
  return clusters;
}

std::optional<std::string>
registration_conflict(const std::vector<ClusterSummary>& clusters,
                      std::string_view name,
                      std::string_view cluster_id) {
  for (const auto& cluster : clusters) {
    if (cluster.name == name) {
      return fmt::format("a cluster named {} is already registered (mode {}, endpoint {})",
                         name,
                         cluster.sync_mode.empty() ? "unknown" : cluster.sync_mode,
                         cluster.api_endpoint.empty() ? "unknown" : cluster.api_endpoint);
    }
    if (!cluster_id.empty() && cluster.id == cluster_id) {
      return fmt::format("this member (cluster ID {}) is already registered as {}; unregister "
                         "{} first or keep using that name",
                         cluster_id,
                         cluster.name,
                         cluster.name);
    }
  }
  return std::nullopt;
}

Result<std::string>
member_cluster_id(const kube::Client& member) {
  KCTL_TRY_ASSIGN(std::optional<Json> ns,
                  with_context(member.get({"", "v1", "namespaces", "", "kube-system", ""}),
                               "cannot read namespace kube-system of the member cluster"));
  std::string uid = ns ? ns->value("/metadata/uid"_json_pointer, "") : "";
  if (uid.empty()) {
    return fail("the member cluster has no kube-system namespace to take its cluster ID from");
  }
  return uid;
}

} // namespace kctl::karmada
