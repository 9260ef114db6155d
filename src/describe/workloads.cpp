#include "describe/workloads.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kctl::describe {

namespace {

bool
has_items(const Json& value) {
  return (value.is_array() || value.is_object()) && !value.empty();
}

// Go's %d of an optional integer field (0 when unset).
std::string
number_text(const Json& object, const char* pointer) {
  return std::to_string(integer_field(object, pointer));
}

// A string or an int-or-string field (maxSurge "25%", port 8080) as Go's IntOrString.String().
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
    return fmt::format("exec {} {}", go_value(field_at(probe, "/exec/command")), attrs);
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

void
write_resources(Writer& w, const Json& resources) {
  for (const auto& [field, title] : {std::pair{"/limits", "Limits"}, {"/requests", "Requests"}}) {
    const Json& amounts = field_at(resources, field);
    if (!has_items(amounts)) {
      continue;
    }
    w.write(2, std::string(title) + ":\n");
    for (const auto& name : keys_in_order(amounts)) {
      w.write(3, fmt::format("{}:\t{}\n", name, go_value(amounts[name])));
    }
  }
}

bool
optional_flag(const Json& reference) {
  const Json& optional = field_at(reference, "/optional");
  return optional.is_boolean() && optional.get<bool>();
}

void
write_env_from(Writer& w, const Json& container) {
  w.write(2, "Environment Variables from:\n");
  for (const auto& source : field_at(container, "/envFrom")) {
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

void
write_env(Writer& w, const Json& container) {
  const Json& env = field_at(container, "/env");
  w.write(2, has_items(env) ? "Environment:\n" : "Environment:\t<none>\n");
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
      // A template has no pod to resolve the field against: kubectl prints it empty.
      w.write(3,
              fmt::format("{}:\t ({}:{})\n",
                          name,
                          text_field(from, "/fieldRef/apiVersion"),
                          text_field(from, "/fieldRef/fieldPath")));
    } else if (field_at(from, "/resourceFieldRef").is_object()) {
      w.write(3, fmt::format("{}:\t ({})\n", name, text_field(from, "/resourceFieldRef/resource")));
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
  w.write(2, has_items(mounts) ? "Mounts:\n" : "Mounts:\t<none>\n");
  if (!mounts.is_array()) {
    return;
  }
  std::vector<Json> sorted = mounts.get<std::vector<Json>>();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return text_field(a, "/mountPath") < text_field(b, "/mountPath");
  });
  for (const auto& mount : sorted) {
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
}

void
write_containers(Writer& w, const std::string& label, const Json& containers) {
  w.write(0, fmt::format("  {}:{}\n", label, has_items(containers) ? "" : " <none>"));
  if (!containers.is_array()) {
    return;
  }
  for (const auto& container : containers) {
    w.write(1, fmt::format(" {}:\n", text_field(container, "/name")));
    w.write(2, "Image:\t" + text_field(container, "/image") + "\n");
    write_port_line(
        w, "Port", "Ports", ports_text(field_at(container, "/ports"), "/containerPort"));
    write_port_line(
        w, "Host Port", "Host Ports", ports_text(field_at(container, "/ports"), "/hostPort"));
    if (text_field(container, "/securityContext/seccompProfile/type") != "") {
      w.write(2,
              "SeccompProfile:\t" + text_field(container, "/securityContext/seccompProfile/type") +
                  "\n");
      if (text_field(container, "/securityContext/seccompProfile/type") == "Localhost") {
        w.write(3,
                "LocalhostProfile:\t" +
                    text_field(container, "/securityContext/seccompProfile/localhostProfile") +
                    "\n");
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
    write_resources(w, field_at(container, "/resources"));
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
    write_env(w, container);
    write_mounts(w, container);
  }
}

void
write_volume_source(Writer& w, const Json& volume) {
  auto optional_text = [](const Json& source) { return optional_flag(source) ? "true" : "false"; };
  if (field_at(volume, "/hostPath").is_object()) {
    std::string type = text_field(volume, "/hostPath/type");
    w.write(2,
            fmt::format("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    "
                        "HostPathType:\t{}\n",
                        text_field(volume, "/hostPath/path"),
                        field_at(volume, "/hostPath/type").is_string() ? type : "<none>"));
  } else if (field_at(volume, "/emptyDir").is_object()) {
    const Json& limit = field_at(volume, "/emptyDir/sizeLimit");
    w.write(2,
            fmt::format("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                        "    Medium:\t{}\n    SizeLimit:\t{}\n",
                        text_field(volume, "/emptyDir/medium"),
                        limit.is_null() || go_value(limit) == "0" ? "<unset>" : go_value(limit)));
  } else if (field_at(volume, "/secret").is_object()) {
    w.write(2,
            fmt::format("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n"
                        "    Optional:\t{}\n",
                        text_field(volume, "/secret/secretName"),
                        optional_text(field_at(volume, "/secret"))));
  } else if (field_at(volume, "/configMap").is_object()) {
    w.write(2,
            fmt::format("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n"
                        "    Optional:\t{}\n",
                        text_field(volume, "/configMap/name"),
                        optional_text(field_at(volume, "/configMap"))));
  } else if (field_at(volume, "/persistentVolumeClaim").is_object()) {
    const Json& read_only = field_at(volume, "/persistentVolumeClaim/readOnly");
    w.write(2,
            fmt::format("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                        "the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                        text_field(volume, "/persistentVolumeClaim/claimName"),
                        read_only.is_boolean() && read_only.get<bool>()));
  } else {
    // The other sources (cloud disks, projected, CSI, ...): their fields, as the generic
    // describer lists them, under the source's name.
    for (const auto& key : keys_in_order(volume)) {
      if (key != "name") {
        w.write(2, "Type:\t" + key + "\n");
        write_fields(w, 2, volume[key], "", {});
      }
    }
  }
}

void
write_volumes(Writer& w, const Json& volumes) {
  if (!has_items(volumes) || !volumes.is_array()) {
    w.write(0, "  Volumes:\t<none>\n");
    return;
  }
  w.write(0, "  Volumes:\n");
  for (const auto& volume : volumes) {
    w.write(1, fmt::format(" {}:\n", text_field(volume, "/name")));
    write_volume_source(w, volume);
  }
}

void
write_spread_constraints(Writer& w, const Json& constraints) {
  if (!has_items(constraints) || !constraints.is_array()) {
    return;
  }
  std::vector<Json> sorted = constraints.get<std::vector<Json>>();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return text_field(a, "/topologyKey") < text_field(b, "/topologyKey");
  });
  w.write(0, "  Topology Spread Constraints:\t");
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Json& c = sorted[i];
    if (i != 0) {
      w.write(0, "  \t");
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
write_tolerations(Writer& w, const Json& tolerations) {
  w.write(0, "  Tolerations:\t");
  if (!has_items(tolerations) || !tolerations.is_array()) {
    w.write(0, "<none>\n");
    return;
  }
  std::vector<Json> sorted = tolerations.get<std::vector<Json>>();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return text_field(a, "/key") < text_field(b, "/key");
  });
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

// A template without the label the Deployment controller adds to its ReplicaSets.
Json
template_without_hash(Json template_spec) {
  if (template_spec.contains("metadata") && template_spec["metadata"].contains("labels") &&
      template_spec["metadata"]["labels"].is_object()) {
    template_spec["metadata"]["labels"].erase("pod-template-hash");
    if (template_spec["metadata"]["labels"].empty()) {
      template_spec["metadata"].erase("labels");
    }
  }
  return template_spec;
}

std::string
replica_sets_text(const std::vector<Json>& sets) {
  std::vector<std::string> out;
  for (const auto& set : sets) {
    out.push_back(fmt::format("{} ({}/{} replicas created)",
                              text_field(set, "/metadata/name"),
                              integer_field(set, "/status/replicas"),
                              integer_field(set, "/spec/replicas")));
  }
  return out.empty() ? "<none>" : fmt::format("{}", fmt::join(out, ", "));
}

} // namespace

std::string
label_selector_text(const Json& selector) {
  std::vector<std::pair<std::string, std::string>> requirements; // key, text
  for (const auto& key : keys_in_order(field_at(selector, "/matchLabels"))) {
    requirements.emplace_back(key, key + "=" + go_value(selector["matchLabels"][key]));
  }
  const Json& expressions = field_at(selector, "/matchExpressions");
  if (expressions.is_array()) {
    for (const auto& expression : expressions) {
      std::string key = text_field(expression, "/key");
      std::string op = text_field(expression, "/operator");
      std::vector<std::string> values;
      if (field_at(expression, "/values").is_array()) {
        for (const auto& value : expression["values"]) {
          values.push_back(go_value(value));
        }
      }
      std::sort(values.begin(), values.end());
      std::string list = fmt::format("({})", fmt::join(values, ","));
      std::string text = op == "In"       ? key + " in " + list
                         : op == "NotIn"  ? key + " notin " + list
                         : op == "Exists" ? key
                                          : "!" + key;
      requirements.emplace_back(key, text);
    }
  }
  std::stable_sort(requirements.begin(), requirements.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  std::vector<std::string> texts;
  for (auto& [key, text] : requirements) {
    texts.push_back(std::move(text));
  }
  return fmt::format("{}", fmt::join(texts, ","));
}

void
write_pod_template(Writer& w, const Json& template_spec) {
  w.write(0, "Pod Template:\n");
  write_labels(w, "  Labels", field_at(template_spec, "/metadata/labels"));
  if (has_items(field_at(template_spec, "/metadata/annotations"))) {
    write_annotations(w, "  Annotations", field_at(template_spec, "/metadata/annotations"));
  }
  const Json& spec = field_at(template_spec, "/spec");
  if (!text_field(spec, "/serviceAccountName").empty()) {
    w.write(1, "Service Account:\t" + text_field(spec, "/serviceAccountName") + "\n");
  }
  if (has_items(field_at(spec, "/initContainers"))) {
    write_containers(w, "Init Containers", field_at(spec, "/initContainers"));
  }
  write_containers(w, "Containers", field_at(spec, "/containers"));
  write_volumes(w, field_at(spec, "/volumes"));
  write_spread_constraints(w, field_at(spec, "/topologySpreadConstraints"));
  if (!text_field(spec, "/priorityClassName").empty()) {
    w.write(1, "Priority Class Name:\t" + text_field(spec, "/priorityClassName") + "\n");
  }
  write_labels(w, "  Node-Selectors", field_at(spec, "/nodeSelector"));
  write_tolerations(w, field_at(spec, "/tolerations"));
}

DeploymentReplicaSets
split_replica_sets(const Json& deployment, const std::vector<Json>& sets) {
  std::string uid = text_field(deployment, "/metadata/uid");
  std::vector<Json> owned;
  for (const auto& set : sets) {
    const Json& owners = field_at(set, "/metadata/ownerReferences");
    if (!owners.is_array()) {
      continue;
    }
    for (const auto& owner : owners) {
      const Json& controller = field_at(owner, "/controller");
      if (controller.is_boolean() && controller.get<bool>() && text_field(owner, "/uid") == uid) {
        owned.push_back(set);
      }
    }
  }
  // The oldest ReplicaSet whose template is the Deployment's is the new one, as the controller
  // decides.
  std::stable_sort(owned.begin(), owned.end(), [](const Json& a, const Json& b) {
    std::string at_a = text_field(a, "/metadata/creationTimestamp");
    std::string at_b = text_field(b, "/metadata/creationTimestamp");
    return at_a != at_b ? at_a < at_b
                        : text_field(a, "/metadata/name") < text_field(b, "/metadata/name");
  });
  Json wanted = template_without_hash(field_at(deployment, "/spec/template"));
  DeploymentReplicaSets out;
  for (auto& set : owned) {
    if (out.new_sets.empty() && template_without_hash(field_at(set, "/spec/template")) == wanted) {
      out.new_sets.push_back(std::move(set));
    } else {
      out.old_sets.push_back(std::move(set));
    }
  }
  return out;
}

std::string
describe_deployment(const Json& d,
                    const std::optional<DeploymentReplicaSets>& replica_sets,
                    const std::optional<std::vector<Json>>& events,
                    std::chrono::system_clock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(d, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(d, "/metadata/namespace") + "\n");
  w.write(0,
          "CreationTimestamp:\t" + rfc1123z(text_field(d, "/metadata/creationTimestamp")) + "\n");
  write_labels(w, "Labels", field_at(d, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(d, "/metadata/annotations"));
  w.write(0, "Selector:\t" + label_selector_text(field_at(d, "/spec/selector")) + "\n");
  w.write(0,
          fmt::format("Replicas:\t{} desired | {} updated | {} total | {} available | {} "
                      "unavailable\n",
                      number_text(d, "/spec/replicas"),
                      number_text(d, "/status/updatedReplicas"),
                      number_text(d, "/status/replicas"),
                      number_text(d, "/status/availableReplicas"),
                      number_text(d, "/status/unavailableReplicas")));
  w.write(0, "StrategyType:\t" + text_field(d, "/spec/strategy/type") + "\n");
  w.write(0, "MinReadySeconds:\t" + number_text(d, "/spec/minReadySeconds") + "\n");
  if (field_at(d, "/spec/strategy/rollingUpdate").is_object()) {
    w.write(0,
            fmt::format("RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                        int_or_string(field_at(d, "/spec/strategy/rollingUpdate/maxUnavailable")),
                        int_or_string(field_at(d, "/spec/strategy/rollingUpdate/maxSurge"))));
  }
  write_pod_template(w, field_at(d, "/spec/template"));
  const Json& conditions = field_at(d, "/status/conditions");
  if (has_items(conditions) && conditions.is_array()) {
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for (const auto& c : conditions) {
      w.write(1,
              fmt::format("{} \t{}\t{}\n",
                          text_field(c, "/type"),
                          text_field(c, "/status"),
                          text_field(c, "/reason")));
    }
  }
  if (replica_sets && (!replica_sets->old_sets.empty() || !replica_sets->new_sets.empty())) {
    w.write(0, "OldReplicaSets:\t" + replica_sets_text(replica_sets->old_sets) + "\n");
    w.write(0, "NewReplicaSet:\t" + replica_sets_text(replica_sets->new_sets) + "\n");
  }
  if (events) {
    write_events(w, *events, now);
  }
  return w.finish();
}

} // namespace kctl::describe
