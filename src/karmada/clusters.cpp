#include "karmada/clusters.hpp"

#include "karmada/namespaces.hpp"
#include "kube/api_error.hpp"
#include "kube/labels.hpp"

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

kube::ResourceRef
works_of(std::string_view cluster) {
  return {"work.karmada.io", "v1alpha1", "works", execution_space(cluster), "", ""};
}

Status
validate_cluster_name(std::string_view name, std::string_view chosen_by) {
  if (name.empty()) {
    return fail_usage(chosen_by.empty()
                          ? std::string("a cluster name is empty")
                          : std::string("the cluster name is empty: give --cluster-name, or use a "
                                        "kubeconfig whose current context names a cluster"));
  }
  if (name.size() <= k_max_cluster_name_length && kube::is_dns1123_label(name)) {
    return {};
  }
  constexpr std::string_view rule =
      "it must be a DNS-1123 label (lower case letters, digits and '-', starting and ending "
      "with a letter or digit) of at most 48 characters";
  if (chosen_by.empty()) {
    return fail_usage(
        fmt::format("invalid cluster name {:?}: {}, as Karmada requires of every Cluster, so no "
                    "Cluster has this name",
                    name,
                    rule));
  }
  return fail_usage(
      fmt::format("invalid cluster name {:?}: {}; choose one with {}", name, rule, chosen_by));
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
  // Page by page, keeping only the summary: with thousands of Clusters, whole objects (most of
  // their bytes are managedFields) would cost tens of MiB for four strings each.
  kube::ListOptions options;
  options.label_selector = std::string(label_selector);
  options.drop_managed_fields = true;
  std::vector<ClusterSummary> clusters;
  auto summarize = [&](const Json& page) {
    if (const auto items = page.find("items"); items != page.end() && items->is_array()) {
      for (const auto& item : *items) {
        clusters.push_back(summarize_cluster(item));
      }
    }
    return kube::StreamControl::proceed;
  };
  Status listed = karmada.list_pages(cluster_ref(), options, summarize);
  if (!listed && kube::is_expired(listed.error())) {
    // The continue token outlived its snapshot: list again in one request, as client-go does.
    clusters.clear();
    options.page_size = 0;
    listed = karmada.list_pages(cluster_ref(), options, summarize);
  }
  KCTL_TRY(with_context(std::move(listed), "cannot list the clusters of the Karmada API server"));
  return clusters;
}

Result<std::optional<ClusterSummary>>
find_cluster(const kube::Client& karmada, const std::string& name) {
  KCTL_TRY_ASSIGN(
      std::optional<Json> cluster,
      with_context(karmada.get(cluster_ref(name)),
                   fmt::format("cannot read cluster {} of the Karmada API server", name)));
  if (!cluster) {
    return std::optional<ClusterSummary>{};
  }
  return std::optional(summarize_cluster(*cluster));
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
  KCTL_TRY_ASSIGN(
      std::optional<Json> ns,
      with_context(member.get(kube::core("namespaces").with_name(std::string(k_kube_system))),
                   "cannot read namespace kube-system of the member cluster"));
  std::string uid = ns ? ns->value("/metadata/uid"_json_pointer, "") : "";
  if (uid.empty()) {
    return fail("the member cluster has no kube-system namespace to take its cluster ID from");
  }
  return uid;
}

} // namespace kctl::karmada
