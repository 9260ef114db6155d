#include "describe/workloads.hpp"

#include "describe/containers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kctl::describe {

namespace {

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
  ContainerView view{.space = "  "};
  if (has_items(field_at(spec, "/initContainers"))) {
    write_containers(w, "Init Containers", field_at(spec, "/initContainers"), view);
  }
  write_containers(w, "Containers", field_at(spec, "/containers"), view);
  write_volumes(w, field_at(spec, "/volumes"), "  ");
  write_spread_constraints(w, field_at(spec, "/topologySpreadConstraints"), "  ");
  if (!text_field(spec, "/priorityClassName").empty()) {
    w.write(1, "Priority Class Name:\t" + text_field(spec, "/priorityClassName") + "\n");
  }
  write_labels(w, "  Node-Selectors", field_at(spec, "/nodeSelector"));
  write_tolerations(w, "  Tolerations", field_at(spec, "/tolerations"));
  write_workload_ref(w, spec, "  ");
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

void
write_controller_conditions(Writer& w, const Json& conditions) {
  if (!has_items(conditions) || !conditions.is_array()) {
    return;
  }
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
  write_controller_conditions(w, field_at(d, "/status/conditions"));
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
