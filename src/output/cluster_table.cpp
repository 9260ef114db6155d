#include "output/cluster_table.hpp"

#include "kube/conditions.hpp"

namespace kctl::output {

std::vector<Column>
cluster_columns() {
  return {{"Name", 0},
          {"Version", 0},
          {"Mode", 0},
          {"Ready", 0},
          {"Age", 0},
          {"Zones", 1},
          {"Region", 1},
          {"Provider", 1},
          {"API-Endpoint", 1},
          {"Proxy-URL", 1}};
}

std::vector<std::string>
cluster_cells(const Json& cluster, std::chrono::system_clock::time_point now) {
  auto field = [&](const char* pointer) {
    return cluster.value(Json::json_pointer(pointer), std::string{});
  };
  std::string zones;
  for (const auto& zone : cluster.value("/spec/zones"_json_pointer, Json::array())) {
    if (zone.is_string()) {
      zones += (zones.empty() ? "" : ",") + zone.get<std::string>();
    }
  }
  return {field("/metadata/name"),
          field("/status/kubernetesVersion"),
          field("/spec/syncMode"),
          kube::condition_status(cluster, "Ready"),
          age_of(cluster, now),
          zones,
          field("/spec/region"),
          field("/spec/provider"),
          field("/spec/apiEndpoint"),
          field("/spec/proxyURL")};
}

} // namespace kctl::output
