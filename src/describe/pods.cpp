#include "describe/pods.hpp"

#include "describe/containers.hpp"
#include "describe/writer.hpp"
#include "output/sort.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace kctl::describe {

namespace {

using PodClock = std::chrono::system_clock;

// The amounts of cpu and memory above zero in a ResourceList, added into `sums`.
void
add_qos_amounts(std::map<std::string, long double>& sums, const Json& amounts) {
  for (const char* name : {"cpu", "memory"}) {
    if (!amounts.is_object() || !amounts.contains(name) || !amounts[name].is_string()) {
      continue;
    }
    // In whole nanounits, as Go's Quantity compares them (0.001 * 1000 is not exactly 1).
    long double amount =
        std::round(output::quantity_value(amounts[name].get<std::string>()).value_or(0) * 1e9L);
    if (amount > 0) {
      sums[name] += amount;
    }
  }
}

// Whether a ResourceList's limits name both cpu and memory above zero (a Guaranteed condition).
bool
limits_cpu_and_memory(const Json& limits) {
  std::map<std::string, long double> found;
  add_qos_amounts(found, limits);
  return found.size() == 2;
}

void
write_pod_ips(Writer& w, const Json& pod) {
  const Json& ips = field_at(pod, "/status/podIPs");
  if (!has_items(ips) || !ips.is_array()) {
    w.write(0, "IPs:\t<none>\n");
    return;
  }
  w.write(0, "IPs:\n");
  for (const auto& ip : ips) {
    w.write(1, "IP:\t" + text_field(ip, "/ip") + "\n");
  }
}

void
write_pod_conditions(Writer& w, const Json& pod) {
  const Json& conditions = field_at(pod, "/status/conditions");
  const Json& gates = field_at(pod, "/spec/readinessGates");
  if (has_items(gates) && gates.is_array()) {
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for (const auto& gate : gates) {
      std::string type = text_field(gate, "/conditionType");
      std::string status = "<none>";
      if (conditions.is_array()) {
        for (const auto& c : conditions) {
          if (text_field(c, "/type") == type) {
            status = text_field(c, "/status");
            break;
          }
        }
      }
      w.write(1, fmt::format("{} \t{} \n", type, status));
    }
  }
  if (has_items(conditions) && conditions.is_array()) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const auto& c : conditions) {
      w.write(1, fmt::format("{} \t{} \n", text_field(c, "/type"), text_field(c, "/status")));
    }
  }
}

// Status, Reason and Message lines: a Pod being deleted that has not finished is "Terminating".
void
write_pod_phase(Writer& w, const Json& pod, PodClock::time_point now) {
  std::string phase = text_field(pod, "/status/phase");
  if (field_at(pod, "/metadata/deletionTimestamp").is_string() && phase != "Failed" &&
      phase != "Succeeded") {
    w.write(0,
            "Status:\tTerminating (lasts " +
                human_age(field_at(pod, "/metadata/deletionTimestamp"), now) + ")\n");
    w.write(0,
            fmt::format("Termination Grace Period:\t{}s\n",
                        integer_field(pod, "/metadata/deletionGracePeriodSeconds")));
  } else {
    w.write(0, "Status:\t" + phase + "\n");
  }
  if (!text_field(pod, "/status/reason").empty()) {
    w.write(0, "Reason:\t" + text_field(pod, "/status/reason") + "\n");
  }
  if (!text_field(pod, "/status/message").empty()) {
    w.write(0, "Message:\t" + text_field(pod, "/status/message") + "\n");
  }
}

void
write_pod_head(Writer& w, const Json& pod) {
  const Json& spec = field_at(pod, "/spec");
  w.write(0, "Name:\t" + text_field(pod, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(pod, "/metadata/namespace") + "\n");
  if (field_at(spec, "/priority").is_number_integer()) {
    w.write(0, fmt::format("Priority:\t{}\n", integer_field(spec, "/priority")));
  }
  if (!text_field(spec, "/priorityClassName").empty()) {
    w.write(0, "Priority Class Name:\t" + text_field(spec, "/priorityClassName") + "\n");
  }
  if (!text_field(spec, "/runtimeClassName").empty()) {
    w.write(0, "Runtime Class Name:\t" + text_field(spec, "/runtimeClassName") + "\n");
  }
  if (!text_field(spec, "/serviceAccountName").empty()) {
    w.write(0, "Service Account:\t" + text_field(spec, "/serviceAccountName") + "\n");
  }
  std::string node = text_field(spec, "/nodeName");
  w.write(0,
          "Node:\t" + (node.empty() ? "<none>" : node + "/" + text_field(pod, "/status/hostIP")) +
              "\n");
  if (field_at(pod, "/status/startTime").is_string()) {
    w.write(0, "Start Time:\t" + rfc1123z(text_field(pod, "/status/startTime")) + "\n");
  }
}

} // namespace

std::string
pod_qos_class(const Json& pod) {
  std::string recorded = text_field(pod, "/status/qosClass");
  if (!recorded.empty()) {
    return recorded;
  }
  std::map<std::string, long double> requests;
  std::map<std::string, long double> limits;
  bool guaranteed = true;
  const Json& pod_resources = field_at(pod, "/spec/resources");
  if (pod_resources.is_object()) {
    add_qos_amounts(requests, field_at(pod_resources, "/requests"));
    const Json& pod_limits = field_at(pod_resources, "/limits");
    add_qos_amounts(limits, pod_limits);
    if (pod_limits.is_object() && !limits_cpu_and_memory(pod_limits)) {
      guaranteed = false;
    }
  } else {
    for (const char* list : {"/spec/containers", "/spec/initContainers"}) {
      const Json& containers = field_at(pod, list);
      if (!containers.is_array()) {
        continue;
      }
      for (const auto& container : containers) {
        add_qos_amounts(requests, field_at(container, "/resources/requests"));
        add_qos_amounts(limits, field_at(container, "/resources/limits"));
        if (!limits_cpu_and_memory(field_at(container, "/resources/limits"))) {
          guaranteed = false;
        }
      }
    }
  }
  if (requests.empty() && limits.empty()) {
    return "BestEffort";
  }
  for (const auto& [name, amount] : requests) {
    auto limit = limits.find(name);
    if (limit == limits.end() || limit->second != amount) {
      guaranteed = false;
    }
  }
  return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
}

std::string
describe_pod(const Json& pod,
             const std::optional<std::vector<Json>>& events,
             PodClock::time_point now) {
  Writer w;
  const Json& spec = field_at(pod, "/spec");
  write_pod_head(w, pod);
  write_labels(w, "Labels", field_at(pod, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(pod, "/metadata/annotations"));
  write_pod_phase(w, pod, now);
  if (field_at(spec, "/securityContext/seccompProfile").is_object()) {
    std::string type = text_field(spec, "/securityContext/seccompProfile/type");
    w.write(0, "SeccompProfile:\t" + type + "\n");
    if (type == "Localhost") {
      w.write(0,
              "LocalhostProfile:\t" +
                  text_field(spec, "/securityContext/seccompProfile/localhostProfile") + "\n");
    }
  }
  w.write(0, "IP:\t" + text_field(pod, "/status/podIP") + "\n");
  write_pod_ips(w, pod);
  if (std::string controller = controller_of(pod); !controller.empty()) {
    w.write(0, "Controlled By:\t" + controller + "\n");
  }
  if (!text_field(pod, "/status/nominatedNodeName").empty()) {
    w.write(0, "NominatedNodeName:\t" + text_field(pod, "/status/nominatedNodeName") + "\n");
  }
  if (field_at(spec, "/resources").is_object()) {
    w.write(0, "Resources:\n");
    write_resources(w, field_at(spec, "/resources"), 1);
  }
  if (has_items(field_at(spec, "/initContainers"))) {
    write_containers(w,
                     "Init Containers",
                     field_at(spec, "/initContainers"),
                     {.statuses = &field_at(pod, "/status/initContainerStatuses"), .pod = &pod});
  }
  write_containers(w,
                   "Containers",
                   field_at(spec, "/containers"),
                   {.statuses = &field_at(pod, "/status/containerStatuses"), .pod = &pod});
  if (has_items(field_at(spec, "/ephemeralContainers"))) {
    write_containers(
        w,
        "Ephemeral Containers",
        field_at(spec, "/ephemeralContainers"),
        {.statuses = &field_at(pod, "/status/ephemeralContainerStatuses"), .pod = &pod});
  }
  write_pod_conditions(w, pod);
  write_volumes(w, field_at(spec, "/volumes"), "");
  w.write(0, "QoS Class:\t" + pod_qos_class(pod) + "\n");
  write_labels(w, "Node-Selectors", field_at(spec, "/nodeSelector"));
  write_tolerations(w, "Tolerations", field_at(spec, "/tolerations"));
  write_spread_constraints(w, field_at(spec, "/topologySpreadConstraints"), "");
  write_workload_ref(w, spec, "");
  if (events) {
    write_events(w, *events, now);
  }
  return w.finish();
}

std::string
pods_status_text(const Json& owner, const std::vector<Json>& pods) {
  std::string uid = text_field(owner, "/metadata/uid");
  int running = 0;
  int waiting = 0;
  int succeeded = 0;
  int failed = 0;
  for (const auto& pod : pods) {
    const Json& owners = field_at(pod, "/metadata/ownerReferences");
    const Json* controller = nullptr;
    if (owners.is_array()) {
      for (const auto& reference : owners) {
        const Json& flag = field_at(reference, "/controller");
        if (flag.is_boolean() && flag.get<bool>()) {
          controller = &reference;
          break;
        }
      }
    }
    if (controller == nullptr || text_field(*controller, "/uid") != uid) {
      continue; // orphans and the pods of other controllers
    }
    std::string phase = text_field(pod, "/status/phase");
    running += phase == "Running" ? 1 : 0;
    waiting += phase == "Pending" ? 1 : 0;
    succeeded += phase == "Succeeded" ? 1 : 0;
    failed += phase == "Failed" ? 1 : 0;
  }
  return fmt::format(
      "{} Running / {} Waiting / {} Succeeded / {} Failed", running, waiting, succeeded, failed);
}

} // namespace kctl::describe
