// Waiting for objects to become ready, by watching them (no polling sleeps). When the time runs
// out the error explains why: the object's conditions, its pods' states and the latest events.
#pragma once

#include "flow/steps.hpp"
#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace kctl::flow {

// Returns nullopt when `object` (a Deployment, StatefulSet, DaemonSet or APIService) is ready, or
// what it is still waiting for ("1/3 replicas available").
std::optional<std::string> not_ready_reason(const Json& object);

// Watches `object` until ready or until `timeout` (zero: no limit), keeping `reporter`'s status
// line current.
Status wait_ready(const kube::Client& client,
                  const Json& object,
                  std::chrono::nanoseconds timeout,
                  StepReporter& reporter);

// Explains why a workload is not ready: its conditions, its pods (selected by the workload's
// selector) with their waiting/terminated reasons, and the latest Warning events. Best effort:
// lookups that fail are left out.
std::string diagnose(const kube::Client& client, const Json& object);

} // namespace kctl::flow
