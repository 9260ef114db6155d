// The one delete every flow uses (unregister, deinit, unjoin, ...): remove an object, say what
// happened in the same line format as the Applier ("ClusterRole karmada-agent deleted", with
// " (dry run)" when the client is a dry run), and wait until it is gone when that matters.
#pragma once

#include "flow/steps.hpp"
#include "kube/client.hpp"
#include "kube/resource.hpp"
#include "util/result.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace kctl::flow {

// "ClusterRole karmada-agent", "Namespace karmada-es-member1": the kind for the resources flows
// delete, the resource name for any other.
std::string describe(const kube::ResourceRef& ref);

class Deleter {
public:
  // Deletes through `client` in background propagation (dependents are collected by the
  // garbage collector); a dry-run client only records the deletes.
  explicit Deleter(kube::Client client);

  // Deletes `ref` and adds "<Kind> <namespace>/<name> deleted" under the step; an object that is
  // already gone adds nothing. Returns whether it existed.
  Result<bool> remove(const kube::ResourceRef& ref, StepReporter& reporter) const;
  // remove()s each of `refs` in order.
  Status remove_all(const std::vector<kube::ResourceRef>& refs, StepReporter& reporter) const;
  // Watches `ref` until it is gone (its finalizers done); false when `timeout` passes first. A
  // dry run does not wait: nothing was deleted.
  Result<bool> wait_gone(const kube::ResourceRef& ref,
                         std::chrono::nanoseconds timeout,
                         StepReporter& reporter) const;

  const kube::Client& client() const { return m_client; }

private:
  kube::Client m_client;
};

} // namespace kctl::flow
