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
                                      "Cluster"};
  kctl::Json object = std::move(*parsed);
  if (!object.contains("kind")) {
    object["kind"] = kinds[size % (sizeof kinds / sizeof kinds[0])];
    object["apiVersion"] = object["kind"] == "Deployment" ? "apps/v1" : "v1";
  }
  kctl::describe::Related related;
  if (object.contains("events") && object["events"].is_array()) {
    related.events = object["events"].get<std::vector<kctl::Json>>();
  }
  if (object.contains("quotas") && object["quotas"].is_array()) {
    related.resource_quotas = object["quotas"].get<std::vector<kctl::Json>>();
    related.limit_ranges = related.resource_quotas;
    related.replica_sets = related.resource_quotas;
  }
  (void)kctl::describe::describe_object(object, related, std::chrono::system_clock::now());
  return 0;
}
