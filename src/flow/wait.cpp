#include "flow/wait.hpp"

#include "flow/apply.hpp"
#include "kube/conditions.hpp"
#include "kube/wait_for.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kctl::flow {

namespace {

std::int64_t
int_at(const Json& object, const Json::json_pointer& pointer) {
  return object.contains(pointer) && object.at(pointer).is_number()
             ? object.at(pointer).get<std::int64_t>()
             : 0;
}

std::string
selector_of(const Json& object) {
  std::string selector;
  const Json labels = object.value("/spec/selector/matchLabels"_json_pointer, Json::object());
  for (const auto& [key, value] : labels.items()) {
    selector += (selector.empty() ? "" : ",") + key + "=" + value.get<std::string>();
  }
  return selector;
}

std::string
pod_states(const Json& pod) {
  std::string text;
  for (const auto& status : pod.value("/status/containerStatuses"_json_pointer, Json::array())) {
    const Json state = status.value("state", Json::object());
    for (const auto& [phase, detail] : state.items()) {
      text += fmt::format(" {}:{}", status.value("name", ""), phase);
      if (detail.contains("reason")) {
        text += fmt::format("({})", detail.value("reason", ""));
      }
      if (detail.contains("message")) {
        text += fmt::format(" {}", detail.value("message", ""));
      }
    }
    if (status.contains("/lastState/terminated"_json_pointer)) {
      const Json& last = status.at("/lastState/terminated"_json_pointer);
      text += fmt::format(" last exit {} {}", last.value("exitCode", 0), last.value("reason", ""));
    }
  }
  return text;
}

void
add_events(const kube::Client& client,
           const std::string& ns,
           const std::string& name,
           std::string& text) {
  kube::ResourceRef events = kube::core("events").in(ns);
  kube::ListOptions options;
  options.field_selector = "involvedObject.name=" + name;
  auto list = client.list(events, options);
  if (!list) {
    return;
  }
  std::vector<Json> items((*list)["items"].begin(), (*list)["items"].end());
  std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
    return a.value("lastTimestamp", "") < b.value("lastTimestamp", "");
  });
  size_t first = items.size() > 5 ? items.size() - 5 : 0;
  for (size_t i = first; i < items.size(); ++i) {
    text += fmt::format("\n    event {} {}: {}",
                        items[i].value("type", ""),
                        items[i].value("reason", ""),
                        items[i].value("message", ""));
  }
}

} // namespace

std::optional<std::string>
not_ready_reason(const Json& object) {
  const std::string kind = object.value("kind", "");
  if (kind == "APIService") {
    if (kube::condition_is_true(object, "Available")) {
      return std::nullopt;
    }
    return std::string("condition Available is not True");
  }
  std::int64_t generation = int_at(object, "/metadata/generation"_json_pointer);
  std::int64_t observed = int_at(object, "/status/observedGeneration"_json_pointer);
  if (observed < generation) {
    return std::string("the controller has not seen the latest spec yet");
  }
  if (kind == "DaemonSet") {
    std::int64_t desired = int_at(object, "/status/desiredNumberScheduled"_json_pointer);
    std::int64_t ready = int_at(object, "/status/numberReady"_json_pointer);
    return ready >= desired ? std::nullopt
                            : std::optional(fmt::format("{}/{} pods ready", ready, desired));
  }
  std::int64_t wanted = object.contains("/spec/replicas"_json_pointer)
                            ? int_at(object, "/spec/replicas"_json_pointer)
                            : 1;
  std::int64_t updated = int_at(object, "/status/updatedReplicas"_json_pointer);
  std::int64_t current = int_at(object, "/status/replicas"_json_pointer);
  if (kind == "StatefulSet") {
    // As `kubectl rollout status`: every replica ready and on the latest revision.
    std::int64_t ready = int_at(object, "/status/readyReplicas"_json_pointer);
    std::string update_revision = object.value("/status/updateRevision"_json_pointer, "");
    std::string current_revision = object.value("/status/currentRevision"_json_pointer, "");
    if (ready < wanted) {
      return fmt::format("{}/{} replicas ready", ready, wanted);
    }
    if (!update_revision.empty() && update_revision != current_revision) {
      return fmt::format("{}/{} replicas updated", updated, wanted);
    }
    return std::nullopt;
  }
  // Deployments, as `kubectl rollout status`: all replicas updated, no old ones left, all
  // available. "Available" is the Deployment controller's word: Ready for the Deployment's
  // minReadySeconds without a restart (init sets it where a container has no readiness probe, so
  // that a pod that crashes a moment after it starts never counts).
  std::int64_t available = int_at(object, "/status/availableReplicas"_json_pointer);
  std::int64_t ready = int_at(object, "/status/readyReplicas"_json_pointer);
  std::int64_t min_ready = int_at(object, "/spec/minReadySeconds"_json_pointer);
  if (updated < wanted) {
    return fmt::format("{}/{} replicas updated", updated, wanted);
  }
  if (current > updated) {
    return fmt::format("{} old replicas are pending termination", current - updated);
  }
  if (available < updated) {
    if (min_ready > 0 && ready > available) {
      return fmt::format("{}/{} updated replicas available ({} Ready, to stay up {}s first)",
                         available,
                         updated,
                         ready,
                         min_ready);
    }
    return fmt::format("{}/{} updated replicas available", available, updated);
  }
  return std::nullopt;
}

Status
wait_ready(const kube::Client& client,
           const Json& object,
           std::chrono::nanoseconds timeout,
           StepReporter& reporter) {
  KCTL_TRY_ASSIGN(kube::ResourceRef ref, client.ref_for(object));
  const std::string what = describe(object);
  auto check = [](const std::optional<Json>& seen) -> Result<std::optional<std::string>> {
    if (!seen) {
      return std::optional<std::string>("it does not exist");
    }
    return not_ready_reason(*seen);
  };
  KCTL_TRY_ASSIGN(auto outcome,
                  kube::wait_for_object(client, ref, timeout, check, [&](const std::string& why) {
                    reporter.status(fmt::format("waiting for {}: {}", what, why));
                  }));
  if (const auto* waited = std::get_if<kube::WaitTimeout>(&outcome)) {
    return failf("{} was not ready after {}s: {}{}",
                 what,
                 std::chrono::duration_cast<std::chrono::seconds>(timeout).count(),
                 waited->last_reason,
                 diagnose(client, waited->last.value_or(object)));
  }
  return {};
}

std::string
diagnose(const kube::Client& client, const Json& object) {
  std::string text = kube::conditions_text(object);
  std::string ns = object.value("/metadata/namespace"_json_pointer, "");
  std::string selector = selector_of(object);
  if (selector.empty()) {
    return text;
  }
  kube::ListOptions options;
  options.label_selector = selector;
  auto pods = client.list(kube::core("pods").in(ns), options);
  if (!pods) {
    return text;
  }
  if ((*pods)["items"].empty()) {
    text += fmt::format("\n  no pods match {} (is a scheduler or controller-manager running?)",
                        selector);
  }
  for (const auto& pod : (*pods)["items"]) {
    std::string name = pod.value("/metadata/name"_json_pointer, "");
    text += fmt::format("\n  pod {} {} on node {}:{}",
                        name,
                        pod.value("/status/phase"_json_pointer, "?"),
                        pod.value("/spec/nodeName"_json_pointer, "<none>"),
                        pod_states(pod));
    add_events(client, ns, name, text);
  }
  add_events(client, ns, object.value("/metadata/name"_json_pointer, ""), text);
  return text;
}

bool
has_readiness(const Json& object) {
  const std::string kind = object.value("kind", "");
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
         kind == "APIService";
}

Waiter::Waiter(kube::Client client, std::chrono::nanoseconds timeout)
    : m_wait([client = std::move(client), timeout](const Json& object, StepReporter& reporter) {
        return wait_ready(client, object, timeout, reporter);
      }) {}

Waiter::Waiter(Function wait) : m_wait(std::move(wait)) {}

Waiter
Waiter::dry_run() {
  return Waiter([](const Json& object, StepReporter& reporter) -> Status {
    reporter.detail(fmt::format("would wait for {} to be ready", describe(object)));
    return {};
  });
}

Status
Waiter::wait(const Json& object, StepReporter& reporter) const {
  return m_wait(object, reporter);
}

Status
Waiter::wait_all(const std::vector<Json>& objects, StepReporter& reporter) const {
  for (const auto& object : objects) {
    if (has_readiness(object)) {
      KCTL_TRY(m_wait(object, reporter));
    }
  }
  return {};
}

} // namespace kctl::flow
