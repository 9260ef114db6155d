#include "describe/describers.hpp"

#include "describe/nodes.hpp"
#include "describe/pods.hpp"
#include "describe/services.hpp"
#include "describe/storage.hpp"
#include "describe/workloads.hpp"
#include "describe/writer.hpp"
#include "kube/resource.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kctl::describe {

namespace {

using DescribeClock = std::chrono::system_clock;

// The bytes a base64 value decodes to, without decoding it.
std::size_t
decoded_size(const Json& value) {
  if (!value.is_string()) {
    return 0;
  }
  const auto& text = value.get_ref<const std::string&>();
  std::size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '=' && padding < 2; ++it) {
    ++padding;
  }
  return text.size() / 4 * 3 - (text.size() % 4 == 0 ? padding : 0) +
         (text.size() % 4 > 1 ? text.size() % 4 - 1 : 0);
}

void
write_name_and_meta(Writer& w, const Json& object, bool namespaced) {
  w.write(0, "Name:\t" + text_field(object, "/metadata/name") + "\n");
  if (namespaced) {
    w.write(0, "Namespace:\t" + text_field(object, "/metadata/namespace") + "\n");
  }
  write_labels(w, "Labels", field_at(object, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(object, "/metadata/annotations"));
}

void
write_events_if_read(Writer& w, const Related& related, DescribeClock::time_point now) {
  if (related.events) {
    write_events(w, *related.events, now);
  }
}

// kubectl's explanation of a ResourceQuota scope ("" for the others).
std::string_view
quota_scope_help(std::string_view scope) {
  if (scope == "Terminating") {
    return "Matches all pods that have an active deadline. These pods have a limited lifespan on "
           "a node before being actively terminated by the system.";
  }
  if (scope == "NotTerminating") {
    return "Matches all pods that do not have an active deadline. These pods usually include long "
           "running pods whose container command is not expected to terminate.";
  }
  if (scope == "BestEffort") {
    return "Matches all pods that do not have resource requirements set. These pods have a best "
           "effort quality of service.";
  }
  if (scope == "NotBestEffort") {
    return "Matches all pods that have at least one resource requirement set. These pods have a "
           "burstable or guaranteed quality of service.";
  }
  return "";
}

// The sorted scopes of a ResourceQuota.
std::vector<std::string>
quota_scopes(const Json& quota) {
  std::vector<std::string> scopes;
  const Json& listed = field_at(quota, "/spec/scopes");
  if (listed.is_array()) {
    for (const auto& scope : listed) {
      scopes.push_back(scope.is_string() ? scope.get<std::string>() : go_value(scope));
    }
  }
  std::sort(scopes.begin(), scopes.end());
  return scopes;
}

// A quota's "resource, used, hard" rows, sorted by resource ("0" where nothing is used yet).
std::vector<std::string>
quota_rows(const Json& quota) {
  std::vector<std::string> rows;
  const Json& used = field_at(quota, "/status/used");
  const Json& hard = field_at(quota, "/status/hard");
  for (const auto& resource : keys_in_order(hard)) {
    std::string used_text =
        used.is_object() && used.contains(resource) ? go_value(used[resource]) : "0";
    rows.push_back(fmt::format("{}\t{}\t{}\n", resource, used_text, go_value(hard[resource])));
  }
  return rows;
}

// kubectl's ResourceQuota block of a Namespace: every quota's used and hard amounts.
void
write_resource_quotas(Writer& w, const std::vector<Json>& quotas) {
  if (quotas.empty()) {
    w.write(0, "No resource quota.\n");
    return;
  }
  w.write(0, "Resource Quotas\n");
  for (const auto& quota : sorted_by_text_field(Json(quotas), "/metadata/name")) {
    w.write(1, "Name:\t" + text_field(quota, "/metadata/name") + "\n");
    std::vector<std::string> scopes = quota_scopes(quota);
    if (!scopes.empty()) {
      w.write(1, fmt::format("Scopes:\t{}\n", fmt::join(scopes, ", ")));
      for (const auto& scope : scopes) {
        if (auto help = quota_scope_help(scope); !help.empty()) {
          w.write(1, fmt::format("* {}\n", help));
        }
      }
    }
    w.write(1, "Resource\tUsed\tHard\n");
    w.write(1, "--------\t---\t---\n");
    for (const auto& row : quota_rows(quota)) {
      w.write(1, row);
    }
  }
}

// kubectl's LimitRange block of a Namespace: one line per limit and resource.
void
write_limit_ranges(Writer& w, const std::vector<Json>& ranges) {
  if (ranges.empty()) {
    w.write(0, "No LimitRange resource.\n");
    return;
  }
  w.write(0,
          "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax "
          "Limit/Request Ratio\n");
  w.write(0,
          " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  for (const auto& range : ranges) {
    const Json& limits = field_at(range, "/spec/limits");
    if (!limits.is_array()) {
      continue;
    }
    for (const auto& item : limits) {
      if (!item.is_object()) {
        continue; // a server's malformed item has nothing to show (value() would throw)
      }
      // Every resource named by any of the item's maps, each printed once, "-" where unset.
      std::vector<std::string> resources;
      for (const char* field :
           {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
        for (const auto& key : keys_in_order(item.value(field, Json::object()))) {
          if (std::find(resources.begin(), resources.end(), key) == resources.end()) {
            resources.push_back(key);
          }
        }
      }
      std::sort(resources.begin(), resources.end());
      std::string type = item.value("type", "");
      for (const auto& resource : resources) {
        auto amount = [&](const char* field) {
          const Json map = item.value(field, Json::object());
          return map.is_object() && map.contains(resource) ? go_value(map[resource])
                                                           : std::string("-");
        };
        w.write(0,
                fmt::format(" {}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                            type,
                            resource,
                            amount("min"),
                            amount("max"),
                            amount("defaultRequest"),
                            amount("default"),
                            amount("maxLimitRequestRatio")));
      }
    }
  }
}

std::string
describe_resource_quota(const Json& quota) {
  Writer w;
  w.write(0, "Name:\t" + text_field(quota, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(quota, "/metadata/namespace") + "\n");
  std::vector<std::string> scopes = quota_scopes(quota);
  if (!scopes.empty()) {
    w.write(0, fmt::format("Scopes:\t{}\n", fmt::join(scopes, ", ")));
    for (const auto& scope : scopes) {
      if (auto help = quota_scope_help(scope); !help.empty()) {
        w.write(0, fmt::format(" * {}\n", help));
      }
    }
  }
  w.write(0, "Resource\tUsed\tHard\n");
  w.write(0, "--------\t----\t----\n");
  for (const auto& row : quota_rows(quota)) {
    w.write(0, row);
  }
  return w.finish();
}

std::string
describe_namespace(const Json& ns, const Related& related) {
  Writer w;
  write_name_and_meta(w, ns, false);
  w.write(0, "Status:\t" + text_field(ns, "/status/phase") + "\n");
  const Json& conditions = field_at(ns, "/status/conditions");
  if (conditions.is_array() && !conditions.empty()) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t------------------\t------\t-------\n");
    for (const auto& c : conditions) {
      w.write(1,
              fmt::format("{}\t{}\t{}\t{}\t{}\n",
                          text_field(c, "/type"),
                          text_field(c, "/status"),
                          rfc1123z(text_field(c, "/lastTransitionTime")),
                          text_field(c, "/reason"),
                          text_field(c, "/message")));
    }
  }
  if (related.resource_quotas) {
    w.write(0, "\n");
    write_resource_quotas(w, *related.resource_quotas);
  }
  if (related.limit_ranges) {
    w.write(0, "\n");
    write_limit_ranges(w, *related.limit_ranges);
  }
  return w.finish();
}

std::string
describe_config_map(const Json& config_map, const Related& related, DescribeClock::time_point now) {
  Writer w;
  write_name_and_meta(w, config_map, true);
  w.write(0, "\nData\n====\n");
  const Json& data = field_at(config_map, "/data");
  for (const auto& key : keys_in_order(data)) {
    w.write(0, key + ":\n----\n");
    w.write(0, (data[key].is_string() ? data[key].get<std::string>() : go_value(data[key])) + "\n");
    w.write(0, "\n");
  }
  w.write(0, "\nBinaryData\n====\n");
  const Json& binary = field_at(config_map, "/binaryData");
  for (const auto& key : keys_in_order(binary)) {
    w.write(0, fmt::format("{}: {} bytes\n", key, decoded_size(binary[key])));
  }
  w.write(0, "\n");
  write_events_if_read(w, related, now);
  return w.finish();
}

// Sizes only: kubectl prints a service-account token's value; this never prints a Secret's data.
std::string
describe_secret(const Json& secret) {
  Writer w;
  write_name_and_meta(w, secret, true);
  w.write(0, "\nType:\t" + text_field(secret, "/type") + "\n");
  w.write(0, "\nData\n====\n");
  const Json& data = field_at(secret, "/data");
  for (const auto& key : keys_in_order(data)) {
    w.write(0, fmt::format("{}:\t{} bytes\n", key, decoded_size(data[key])));
  }
  return w.finish();
}

std::string
describe_service_account(const Json& account,
                         const Related& related,
                         DescribeClock::time_point now) {
  Writer w;
  write_name_and_meta(w, account, true);
  std::vector<std::string> pull_secrets;
  const Json& secrets = field_at(account, "/imagePullSecrets");
  if (secrets.is_array()) {
    for (const auto& secret : secrets) {
      pull_secrets.push_back(text_field(secret, "/name"));
    }
  }
  std::string header = "Image pull secrets:";
  if (pull_secrets.empty()) {
    w.write(0, header + "\t<none>\n");
  }
  for (const auto& name : pull_secrets) {
    w.write(0, header + "\t" + name + "\n");
    header = std::string(header.size(), ' ');
  }
  write_events_if_read(w, related, now);
  return w.finish();
}

} // namespace

Needs
needs_of(std::string_view group, std::string_view kind) {
  if (group.empty() && kind == "Namespace") {
    return {.events = false, .quotas_and_limits = true};
  }
  if (group == "apps" && kind == "Deployment") {
    return {.events = true, .replica_sets = true};
  }
  if (group.empty() && (kind == "Secret" || kind == "ResourceQuota")) {
    return {.events = false};
  }
  if (group.empty() && kind == "Pod") {
    return {.events = true, .events_of_pod = true};
  }
  if (group.empty() && kind == "Service") {
    return {.events = true, .endpoint_slices = true};
  }
  if (group.empty() && kind == "PersistentVolumeClaim") {
    return {.events = true, .namespace_pods = true};
  }
  if (group.empty() && kind == "Node") {
    return {.events = true, .node = true};
  }
  if (group == "networking.k8s.io" && kind == "Ingress") {
    return {.events = true, .backend_services = true};
  }
  if (group == "apps" && kind == "ReplicaSet") {
    return {.events = true, .pods = true, .pods_error_shown = true};
  }
  if (group == "apps" && (kind == "StatefulSet" || kind == "DaemonSet")) {
    return {.events = true, .pods = true};
  }
  return {};
}

std::vector<std::string>
ingress_service_names(const Json& ingress) {
  std::vector<std::string> names;
  auto add = [&](const Json& backend) {
    if (field_at(backend, "/service").is_object()) {
      std::string name = text_field(backend, "/service/name");
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(std::move(name));
      }
    }
  };
  add(field_at(ingress, "/spec/defaultBackend"));
  const Json& rules = field_at(ingress, "/spec/rules");
  if (rules.is_array()) {
    for (const auto& rule : rules) {
      const Json& paths = field_at(rule, "/http/paths");
      if (!paths.is_array()) {
        continue;
      }
      for (const auto& path : paths) {
        add(field_at(path, "/backend"));
      }
    }
  }
  return names;
}

std::string
describe_generic(const Json& object, const Related& related, DescribeClock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(object, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(object, "/metadata/namespace") + "\n");
  write_labels(w, "Labels", field_at(object, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(object, "/metadata/annotations"));
  write_fields(w,
               0,
               object,
               "",
               {".metadata.managedFields",
                ".metadata.name",
                ".metadata.namespace",
                ".metadata.labels",
                ".metadata.annotations"});
  write_events_if_read(w, related, now);
  return w.finish();
}

std::string
describe_object(const Json& object, const Related& related, DescribeClock::time_point now) {
  auto [group, version] = kube::split_api_version(text_field(object, "/apiVersion"));
  std::string kind = text_field(object, "/kind");
  if (group.empty()) {
    if (kind == "Namespace") {
      return describe_namespace(object, related);
    }
    if (kind == "ConfigMap") {
      return describe_config_map(object, related, now);
    }
    if (kind == "Secret") {
      return describe_secret(object);
    }
    if (kind == "ResourceQuota") {
      return describe_resource_quota(object);
    }
    if (kind == "ServiceAccount") {
      return describe_service_account(object, related, now);
    }
    if (kind == "Pod") {
      return describe_pod(object, related.events, now);
    }
    if (kind == "Service") {
      return describe_service(
          object, related.endpoint_slices.value_or(std::vector<Json>{}), related.events, now);
    }
  }
  const std::vector<Json> no_pods;
  const std::vector<Json>& pods = related.pods ? *related.pods : no_pods;
  if (group.empty() && kind == "PersistentVolumeClaim") {
    return describe_persistent_volume_claim(object, pods, related.events, now);
  }
  if (group.empty() && kind == "Node") {
    NodeRelated node{
        .lease = related.lease, .lease_error = related.lease_error, .pods = related.pods};
    return describe_node(object, node, related.events, now);
  }
  if (group == "apps" && kind == "ReplicaSet") {
    return describe_replica_set(object, pods, related.pods_error, related.events, now);
  }
  if (group == "apps" && kind == "StatefulSet") {
    return describe_stateful_set(object, pods, related.events, now);
  }
  if (group == "apps" && kind == "DaemonSet") {
    return describe_daemon_set(object, pods, related.events, now);
  }
  if (group == "networking.k8s.io" && kind == "Ingress") {
    return describe_ingress(object, related.backends, related.events, now);
  }
  if (group == "batch" && kind == "Job") {
    return describe_job(object, related.events, now);
  }
  if (group == "batch" && kind == "CronJob") {
    return describe_cron_job(object, related.events, now);
  }
  if (group == "apps" && kind == "Deployment") {
    std::optional<DeploymentReplicaSets> sets;
    if (related.replica_sets) {
      sets = split_replica_sets(object, *related.replica_sets);
    }
    return describe_deployment(object, sets, related.events, now);
  }
  return describe_generic(object, related, now);
}

} // namespace kctl::describe
