// kubectl's describers of Pods and of the controllers that count their pods (ReplicaSet,
// StatefulSet, DaemonSet) or carry a pod template (Job, CronJob). Pure.
#pragma once

#include "util/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kctl::describe {

// A Pod's QoS class: status.qosClass, else computed from the containers' requests and limits
// as the API server does.
std::string pod_qos_class(const Json& pod);

std::string describe_pod(const Json& pod,
                         const std::optional<std::vector<Json>>& events,
                         std::chrono::system_clock::time_point now);

// The pods of a controller (those of `pods` whose controller is `owner`), counted by phase as
// kubectl's "Pods Status" line: "1 Running / 2 Waiting / 0 Succeeded / 0 Failed".
std::string pods_status_text(const Json& owner, const std::vector<Json>& pods);

// `pods` is what listing the selector's pods gave; `pods_error` the error instead ("" none).
std::string describe_replica_set(const Json& set,
                                 const std::vector<Json>& pods,
                                 const std::string& pods_error,
                                 const std::optional<std::vector<Json>>& events,
                                 std::chrono::system_clock::time_point now);

std::string describe_stateful_set(const Json& set,
                                  const std::vector<Json>& pods,
                                  const std::optional<std::vector<Json>>& events,
                                  std::chrono::system_clock::time_point now);

std::string describe_daemon_set(const Json& set,
                                const std::vector<Json>& pods,
                                const std::optional<std::vector<Json>>& events,
                                std::chrono::system_clock::time_point now);

std::string describe_job(const Json& job,
                         const std::optional<std::vector<Json>>& events,
                         std::chrono::system_clock::time_point now);

std::string describe_cron_job(const Json& cron_job,
                              const std::optional<std::vector<Json>>& events,
                              std::chrono::system_clock::time_point now);

} // namespace kctl::describe
