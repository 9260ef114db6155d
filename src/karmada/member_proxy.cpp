#include "karmada/member_proxy.hpp"

#include "karmada/clusters.hpp"

#include <fmt/format.h>

namespace kctl::karmada {

kube::RestConfig
member_proxy_config(const kube::RestConfig& karmada, std::string_view cluster) {
  kube::RestConfig config = karmada;
  std::string server = karmada.server;
  while (!server.empty() && server.back() == '/') {
    server.pop_back();
  }
  config.server = fmt::format("{}/apis/{}/{}/clusters/{}/proxy",
                              server,
                              k_cluster_group,
                              k_cluster_version,
                              kube::url_escape(cluster));
  config.origin = fmt::format("cluster {} through {}", cluster, karmada.origin);
  return config;
}

Result<kube::Client>
connect_member_proxy(const kube::RestConfig& karmada,
                     std::string_view cluster,
                     kube::DryRun dry_run) {
  return with_context(kube::Client::connect(member_proxy_config(karmada, cluster), dry_run),
                      fmt::format("cluster({})", cluster));
}

} // namespace kctl::karmada
