// describe's text of an object a server returned (the input, as JSON; its first byte picks the
// kind, so each describer is reached), and Go's tabwriter layout of the raw input.
#include "describe/describers.hpp"
#include "describe/tabwriter.hpp"
#include "fuzz_common.hpp"
#include "util/json_parse.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  (void)kctl::describe::tab_layout(input);
  auto parsed = kctl::json::parse(input);
  if (!parsed || !parsed->is_object()) {
    return 0;
  }
  static const char* const kinds[] = {"Namespace",
                                      "ConfigMap",
                                      "Secret",
                                      "ServiceAccount",
                                      "ResourceQuota",
                                      "Deployment",
                                      "Cluster",
                                      "Pod",
                                      "ReplicaSet",
                                      "StatefulSet",
                                      "DaemonSet",
                                      "Job",
                                      "CronJob",
                                      "Service",
                                      "PersistentVolumeClaim",
                                      "Ingress",
                                      "Node"};
  kctl::Json object = std::move(*parsed);
  if (!object.contains("kind")) {
    object["kind"] = kinds[size % (sizeof kinds / sizeof kinds[0])];
    const std::string& kind = object["kind"].get_ref<const std::string&>();
    object["apiVersion"] =
        kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet" || kind == "DaemonSet"
            ? "apps/v1"
        : kind == "Job" || kind == "CronJob" ? "batch/v1"
        : kind == "Ingress"                  ? "networking.k8s.io/v1"
                                             : "v1";
  }
  kctl::describe::Related related;
  if (object.contains("events") && object["events"].is_array()) {
    related.events = object["events"].get<std::vector<kctl::Json>>();
  }
  if (object.contains("quotas") && object["quotas"].is_array()) {
    related.resource_quotas = object["quotas"].get<std::vector<kctl::Json>>();
    related.limit_ranges = related.resource_quotas;
    related.replica_sets = related.resource_quotas;
    related.pods = related.resource_quotas;
    related.endpoint_slices = related.resource_quotas;
    related.pods_error = size % 2 == 0 ? "" : "pods is forbidden";
    related.lease = object["quotas"].empty() ? kctl::Json() : object["quotas"][0];
    for (const auto& name : kctl::describe::ingress_service_names(object)) {
      kctl::describe::BackendService& backend = related.backends[name];
      backend.service = object["quotas"].empty() ? kctl::Json() : object["quotas"][0];
      backend.endpoint_slices = related.resource_quotas.value();
      backend.service_error = size % 3 == 0 ? "services \"x\" not found" : "";
    }
  }
  (void)kctl::describe::describe_object(object, related, std::chrono::system_clock::now());
  return 0;
}
