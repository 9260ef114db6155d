// Waiting for objects to become ready, by watching them (no polling sleeps). When the time runs
// out the error explains why: the object's conditions, its pods' states and the latest events.
#pragma once

#include "flow/steps.hpp"
#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

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

// Whether not_ready_reason() understands `object`'s kind (Deployment, StatefulSet, DaemonSet,
// APIService): the objects a flow waits for.
bool has_readiness(const Json& object);

// How a flow waits for its objects: wait_ready() on a cluster, or in a dry run a "would wait"
// line. Cheap to copy.
//
//   flow::Waiter wait = dry_run ? flow::Waiter::dry_run() : flow::Waiter(client, timeout);
//   ... in a Step:  KCTL_TRY(wait.wait_all(objects, reporter));
class Waiter {
public:
  using Function = std::function<Status(const Json& object, StepReporter& reporter)>;

  // Watches on `client` until ready, each object for at most `timeout` (zero: no limit).
  Waiter(kube::Client client, std::chrono::nanoseconds timeout);
  // Any way of waiting (tests record the objects waited for).
  explicit Waiter(Function wait);
  // Says "would wait for <Kind> <namespace>/<name> to be ready" under the step.
  static Waiter dry_run();

  Status wait(const Json& object, StepReporter& reporter) const;
  // Waits for each object that has_readiness(), in order.
  Status wait_all(const std::vector<Json>& objects, StepReporter& reporter) const;

private:
  Function m_wait;
};

} // namespace kctl::flow
