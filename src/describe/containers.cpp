#include "describe/containers.hpp"

#include "describe/workloads.hpp"
#include "output/sort.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace kctl::describe {

namespace {

std::string
ports_text(const Json& ports, const char* field) {
  std::vector<std::string> out;
  if (ports.is_array()) {
    for (const auto& port : ports) {
      std::string text =
          fmt::format("{}/{}", integer_field(port, field), text_field(port, "/protocol"));
      if (!text_field(port, "/name").empty()) {
        text += fmt::format(" ({})", text_field(port, "/name"));
      }
      out.push_back(std::move(text));
    }
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

void
write_port_line(Writer& w, const std::string& single, const std::string& plural, std::string text) {
  if (text.find(',') != std::string::npos) {
    w.write(2, plural + ":\t" + text + "\n");
  } else {
    w.write(2, single + ":\t" + (text.empty() ? "<none>" : text) + "\n");
  }
}

void
write_lines_of(Writer& w, int level, const std::string& text) {
  std::size_t start = 0;
  while (true) {
    auto end = text.find('\n', start);
    w.write(level, text.substr(start, end == std::string::npos ? end : end - start) + "\n");
    if (end == std::string::npos) {
      return;
    }
    start = end + 1;
  }
}

std::string
probe_text(const Json& probe) {
  std::string attrs = fmt::format("delay={}s timeout={}s period={}s #success={} #failure={}",
                                  integer_field(probe, "/initialDelaySeconds"),
                                  integer_field(probe, "/timeoutSeconds"),
                                  integer_field(probe, "/periodSeconds"),
                                  integer_field(probe, "/successThreshold"),
                                  integer_field(probe, "/failureThreshold"));
  if (field_at(probe, "/exec").is_object()) {
    const Json& command = field_at(probe, "/exec/command");
    return fmt::format("exec {} {}", command.is_null() ? "[]" : go_value(command), attrs);
  }
  if (field_at(probe, "/httpGet").is_object()) {
    const Json& get = field_at(probe, "/httpGet");
    std::string scheme = text_field(get, "/scheme");
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    std::string host = text_field(get, "/host");
    std::string port = int_or_string(field_at(get, "/port"));
    std::string authority =
        host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
    std::string url =
        (scheme.empty() ? "" : scheme + ":") + "//" + authority + text_field(get, "/path");
    return fmt::format("http-get {} {}", url, attrs);
  }
  if (field_at(probe, "/tcpSocket").is_object()) {
    return fmt::format("tcp-socket {}:{} {}",
                       text_field(probe, "/tcpSocket/host"),
                       int_or_string(field_at(probe, "/tcpSocket/port")),
                       attrs);
  }
  if (field_at(probe, "/grpc").is_object()) {
    return fmt::format("grpc <pod>:{} {} {}",
                       integer_field(probe, "/grpc/port"),
                       text_field(probe, "/grpc/service"),
                       attrs);
  }
  return "unknown " + attrs;
}

} // namespace

bool
optional_flag(const Json& reference) {
  const Json& optional = field_at(reference, "/optional");
  return optional.is_boolean() && optional.get<bool>();
}

namespace {

void
write_env_from(Writer& w, const Json& container) {
  w.write(2, "Environment Variables from:\n");
  const Json& sources = field_at(container, "/envFrom");
  if (!sources.is_array()) {
    return;
  }
  for (const auto& source : sources) {
    std::string from = field_at(source, "/configMapRef").is_object() ? "ConfigMap"
                       : field_at(source, "/secretRef").is_object()  ? "Secret"
                                                                     : "";
    const Json& reference =
        from == "ConfigMap" ? field_at(source, "/configMapRef") : field_at(source, "/secretRef");
    std::string prefix = text_field(source, "/prefix");
    w.write(3,
            fmt::format("{}\t{}{}\tOptional: {}\n",
                        text_field(reference, "/name"),
                        from,
                        prefix.empty() ? "" : fmt::format(" with prefix '{}'", prefix),
                        optional_flag(reference)));
  }
}

} // namespace

long double
amount_of(const Json& value) {
  if (!value.is_string()) {
    return value.is_number() ? value.get<long double>() : 0;
  }
  return output::quantity_value(value.get<std::string>()).value_or(0);
}

namespace {

// kubectl's value of a container's resourceFieldRef (ceil of the amount over the divisor).
std::string
resource_field_value(const Json& container, const Json& ref) {
  std::string resource = text_field(ref, "/resource");
  long double divisor = amount_of(field_at(ref, "/divisor"));
  if (divisor == 0) {
    divisor = 1;
  }
  auto dot = resource.find('.');
  std::string section = dot == std::string::npos ? "" : resource.substr(0, dot);
  std::string name = dot == std::string::npos ? "" : resource.substr(dot + 1);
  if ((section != "limits" && section != "requests") ||
      (name != "cpu" && name != "memory" && name != "ephemeral-storage")) {
    return "";
  }
  const Json& amounts = field_at(container, "/resources");
  long double amount = 0;
  if (amounts.is_object() && amounts.contains(section) && amounts[section].is_object() &&
      amounts[section].contains(name)) {
    amount = amount_of(amounts[section][name]);
  }
  // Go's MilliValue() and Value() round up to whole thousandths and units; the amounts are
  // taken to nanounits first so that a decimal such as 0.2 is not 0.2000...01.
  auto nanos = [](long double quantity) { return std::round(quantity * 1e9L); };
  auto ceil_div = [](long double units, long double per) { return std::ceil(units / per); };
  long double value =
      name == "cpu"
          ? ceil_div(ceil_div(nanos(amount), 1e6L), std::max(1.0L, ceil_div(nanos(divisor), 1e6L)))
          : ceil_div(ceil_div(nanos(amount), 1e9L), std::max(1.0L, ceil_div(nanos(divisor), 1e9L)));
  if (!std::isfinite(value) || std::fabs(value) > 9.2e18L) {
    return "";
  }
  return std::to_string(static_cast<long long>(value));
}

// kubectl resolves a downward-API field against the Pod with its own scheme, which knows only
// metadata.name and metadata.namespace; anything else (and any template) shows "".
std::string
field_ref_value(const Json* pod, const Json& ref) {
  if (pod == nullptr) {
    return "";
  }
  std::string path = text_field(ref, "/fieldPath");
  if (path == "metadata.name") {
    return text_field(*pod, "/metadata/name");
  }
  if (path == "metadata.namespace") {
    return text_field(*pod, "/metadata/namespace");
  }
  return "";
}

void
write_env(Writer& w, const Json& container, const Json* pod) {
  const Json& env = field_at(container, "/env");
  w.write(2, has_items(env) && env.is_array() ? "Environment:\n" : "Environment:\t<none>\n");
  if (!env.is_array()) {
    return;
  }
  for (const auto& variable : env) {
    std::string name = text_field(variable, "/name");
    const Json& from = field_at(variable, "/valueFrom");
    if (!from.is_object()) {
      std::string value = text_field(variable, "/value");
      std::size_t start = 0;
      for (bool first = true;; first = false) {
        auto end = value.find('\n', start);
        std::string line = value.substr(start, end == std::string::npos ? end : end - start);
        w.write(3, first ? name + ":\t" + line + "\n" : "\t" + line + "\n");
        if (end == std::string::npos) {
          break;
        }
        start = end + 1;
      }
    } else if (field_at(from, "/fieldRef").is_object()) {
      w.write(3,
              fmt::format("{}:\t{} ({}:{})\n",
                          name,
                          field_ref_value(pod, field_at(from, "/fieldRef")),
                          text_field(from, "/fieldRef/apiVersion"),
                          text_field(from, "/fieldRef/fieldPath")));
    } else if (field_at(from, "/resourceFieldRef").is_object()) {
      std::string resource = text_field(from, "/resourceFieldRef/resource");
      std::string value = resource_field_value(container, field_at(from, "/resourceFieldRef"));
      if (value == "0" && (resource == "limits.cpu" || resource == "limits.memory")) {
        value = "node allocatable";
      }
      w.write(3, fmt::format("{}:\t{} ({})\n", name, value, resource));
    } else if (field_at(from, "/secretKeyRef").is_object()) {
      w.write(3,
              fmt::format("{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                          name,
                          text_field(from, "/secretKeyRef/key"),
                          text_field(from, "/secretKeyRef/name"),
                          optional_flag(field_at(from, "/secretKeyRef"))));
    } else if (field_at(from, "/configMapKeyRef").is_object()) {
      w.write(3,
              fmt::format("{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                          name,
                          text_field(from, "/configMapKeyRef/key"),
                          text_field(from, "/configMapKeyRef/name"),
                          optional_flag(field_at(from, "/configMapKeyRef"))));
    }
  }
}

void
write_mounts(Writer& w, const Json& container) {
  const Json& mounts = field_at(container, "/volumeMounts");
  bool none = !has_items(mounts) || !mounts.is_array();
  w.write(2, none ? "Mounts:\t<none>\n" : "Mounts:\n");
  for (const auto& mount : sorted_by_text_field(mounts, "/mountPath")) {
    const Json& read_only = field_at(mount, "/readOnly");
    std::string flags = read_only.is_boolean() && read_only.get<bool>() ? "ro" : "rw";
    if (!text_field(mount, "/subPath").empty()) {
      flags += fmt::format(",path=\"{}\"", text_field(mount, "/subPath"));
    }
    w.write(3,
            fmt::format("{} from {} ({})\n",
                        text_field(mount, "/mountPath"),
                        text_field(mount, "/name"),
                        flags));
  }
  const Json& devices = field_at(container, "/volumeDevices");
  if (has_items(devices) && devices.is_array()) {
    w.write(2, none ? "Devices:\t<none>\n" : "Devices:\n");
    for (const auto& device : sorted_by_text_field(devices, "/devicePath")) {
      w.write(3,
              fmt::format(
                  "{} from {}\n", text_field(device, "/devicePath"), text_field(device, "/name")));
    }
  }
}

// kubectl's state block of a container status ("State", "Last State").
void
write_state(Writer& w, const std::string& title, const Json& state) {
  if (field_at(state, "/running").is_object()) {
    w.write(2, title + ":\tRunning\n");
    w.write(3, "Started:\t" + rfc1123z(text_field(state, "/running/startedAt")) + "\n");
  } else if (field_at(state, "/waiting").is_object()) {
    w.write(2, title + ":\tWaiting\n");
    if (!text_field(state, "/waiting/reason").empty()) {
      w.write(3, "Reason:\t" + text_field(state, "/waiting/reason") + "\n");
    }
  } else if (field_at(state, "/terminated").is_object()) {
    const Json& t = field_at(state, "/terminated");
    w.write(2, title + ":\tTerminated\n");
    if (!text_field(t, "/reason").empty()) {
      w.write(3, "Reason:\t" + text_field(t, "/reason") + "\n");
    }
    if (!text_field(t, "/message").empty()) {
      w.write(3, "Message:\t" + text_field(t, "/message") + "\n");
    }
    w.write(3, fmt::format("Exit Code:\t{}\n", integer_field(t, "/exitCode")));
    if (integer_field(t, "/signal") > 0) {
      w.write(3, fmt::format("Signal:\t{}\n", integer_field(t, "/signal")));
    }
    w.write(3, "Started:\t" + rfc1123z(text_field(t, "/startedAt")) + "\n");
    w.write(3, "Finished:\t" + rfc1123z(text_field(t, "/finishedAt")) + "\n");
  } else {
    w.write(2, title + ":\tWaiting\n");
  }
}

// The status of the container named `name` in `statuses`, null when there is none.
const Json*
status_of(const Json* statuses, const std::string& name) {
  if (statuses == nullptr || !statuses->is_array()) {
    return nullptr;
  }
  const Json* found = nullptr;
  for (const auto& status : *statuses) {
    if (status.is_object() && text_field(status, "/name") == name) {
      found = &status; // the last one of a name wins, as in kubectl's map
    }
  }
  return found;
}

void
write_container(Writer& w, const Json& container, const ContainerView& view) {
  std::string name = text_field(container, "/name");
  const Json* status = status_of(view.statuses, name);
  w.write(1, fmt::format("{}{}:\n", view.space.empty() ? "" : " ", name));
  if (status != nullptr) {
    w.write(2, "Container ID:\t" + text_field(*status, "/containerID") + "\n");
  }
  w.write(2, "Image:\t" + text_field(container, "/image") + "\n");
  if (status != nullptr) {
    w.write(2, "Image ID:\t" + text_field(*status, "/imageID") + "\n");
  }
  write_port_line(w, "Port", "Ports", ports_text(field_at(container, "/ports"), "/containerPort"));
  write_port_line(
      w, "Host Port", "Host Ports", ports_text(field_at(container, "/ports"), "/hostPort"));
  if (field_at(container, "/securityContext/seccompProfile").is_object()) {
    std::string type = text_field(container, "/securityContext/seccompProfile/type");
    w.write(2, "SeccompProfile:\t" + type + "\n");
    if (type == "Localhost") {
      w.write(3,
              "LocalhostProfile:\t" +
                  text_field(container, "/securityContext/seccompProfile/localhostProfile") + "\n");
    }
  }
  for (const auto& [field, title] : {std::pair{"/command", "Command"}, {"/args", "Args"}}) {
    const Json& words = field_at(container, field);
    if (!has_items(words) || !words.is_array()) {
      continue;
    }
    w.write(2, std::string(title) + ":\n");
    for (const auto& word : words) {
      write_lines_of(w, 3, word.is_string() ? word.get<std::string>() : go_value(word));
    }
  }
  if (status != nullptr) {
    write_state(w, "State", field_at(*status, "/state"));
    if (field_at(*status, "/lastState/terminated").is_object()) {
      write_state(w, "Last State", field_at(*status, "/lastState"));
    }
    w.write(2, "Ready:\t" + bool_word(field_at(*status, "/ready")) + "\n");
    w.write(2, fmt::format("Restart Count:\t{}\n", integer_field(*status, "/restartCount")));
  }
  write_resources(w, field_at(container, "/resources"), 2);
  for (const auto& [field, title] : {std::pair{"/livenessProbe", "Liveness"},
                                     {"/readinessProbe", "Readiness"},
                                     {"/startupProbe", "Startup"}}) {
    if (field_at(container, field).is_object()) {
      w.write(2, fmt::format("{}:\t{}\n", title, probe_text(field_at(container, field))));
    }
  }
  if (has_items(field_at(container, "/envFrom"))) {
    write_env_from(w, container);
  }
  write_env(w, container, view.pod);
  write_mounts(w, container);
}

} // namespace

bool
has_items(const Json& value) {
  return (value.is_array() || value.is_object()) && !value.empty();
}

std::string
int_or_string(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number_integer()) {
    return std::to_string(value.get<std::int64_t>());
  }
  return "0";
}

std::string
number_text(const Json& object, const char* pointer) {
  return std::to_string(integer_field(object, pointer));
}

std::string
bool_word(const Json& value) {
  return value.is_boolean() && value.get<bool>() ? "True" : "False";
}

std::string
controller_of(const Json& object) {
  const Json& owners = field_at(object, "/metadata/ownerReferences");
  if (!owners.is_array()) {
    return "";
  }
  for (const auto& owner : owners) {
    const Json& controller = field_at(owner, "/controller");
    if (controller.is_boolean() && controller.get<bool>()) {
      return text_field(owner, "/kind") + "/" + text_field(owner, "/name");
    }
  }
  return "";
}

void
write_containers(Writer& w,
                 std::string_view label,
                 const Json& containers,
                 const ContainerView& view) {
  bool none = !has_items(containers) || !containers.is_array();
  w.write(0, fmt::format("{}{}:{}\n", view.space, label, none ? " <none>" : ""));
  if (none) {
    return;
  }
  for (const auto& container : containers) {
    write_container(w, container, view);
  }
}

void
write_resources(Writer& w, const Json& resources, int level) {
  for (const auto& [field, title] : {std::pair{"/limits", "Limits"}, {"/requests", "Requests"}}) {
    const Json& amounts = field_at(resources, field);
    if (!has_items(amounts) || !amounts.is_object()) {
      continue;
    }
    w.write(level, std::string(title) + ":\n");
    for (const auto& name : keys_in_order(amounts)) {
      w.write(level + 1, fmt::format("{}:\t{}\n", name, go_value(amounts[name])));
    }
  }
}

void
write_spread_constraints(Writer& w, const Json& constraints, std::string_view space) {
  if (!has_items(constraints) || !constraints.is_array()) {
    return;
  }
  std::vector<Json> sorted = sorted_by_text_field(constraints, "/topologyKey");
  w.write(0, fmt::format("{}Topology Spread Constraints:\t", space));
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Json& c = sorted[i];
    if (i != 0) {
      w.write(0, fmt::format("{}\t", space));
    }
    std::string text = fmt::format("{}:{} when max skew {} is exceeded",
                                   text_field(c, "/topologyKey"),
                                   text_field(c, "/whenUnsatisfiable"),
                                   integer_field(c, "/maxSkew"));
    if (field_at(c, "/labelSelector").is_object()) {
      std::string selector = label_selector_text(field_at(c, "/labelSelector"));
      text += " for selector " + (selector.empty() ? "<none>" : selector);
    }
    w.write(0, text + "\n");
  }
}

void
write_tolerations(Writer& w, std::string_view title, const Json& tolerations) {
  w.write(0, fmt::format("{}:\t", title));
  if (!has_items(tolerations) || !tolerations.is_array()) {
    w.write(0, "<none>\n");
    return;
  }
  std::vector<Json> sorted = sorted_by_text_field(tolerations, "/key");
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Json& t = sorted[i];
    std::string text = i == 0 ? "" : "\t";
    std::string key = text_field(t, "/key");
    std::string value = text_field(t, "/value");
    std::string effect = text_field(t, "/effect");
    text += key;
    if (!value.empty()) {
      text += "=" + value;
    }
    if (!effect.empty()) {
      text += ":" + effect;
    }
    if (text_field(t, "/operator") == "Exists" && value.empty()) {
      text += key.empty() && effect.empty() ? "op=Exists" : " op=Exists";
    }
    if (field_at(t, "/tolerationSeconds").is_number_integer()) {
      text += fmt::format(" for {}s", integer_field(t, "/tolerationSeconds"));
    }
    w.write(0, text + "\n");
  }
}

void
write_workload_ref(Writer& w, const Json& spec, std::string_view space) {
  const Json& ref = field_at(spec, "/workloadRef");
  if (!ref.is_object()) {
    return;
  }
  w.write(0, fmt::format("{}WorkloadRef:\n", space));
  w.write(1, "Name:\t" + text_field(ref, "/name") + "\n");
  w.write(1, "PodGroup:\t" + text_field(ref, "/podGroup") + "\n");
  if (!text_field(ref, "/podGroupReplicaKey").empty()) {
    w.write(1, "PodGroupReplicaKey:\t" + text_field(ref, "/podGroupReplicaKey") + "\n");
  }
}

} // namespace kctl::describe
