// Waiting for one object to reach a state, by watching it (no polling).
#pragma once

#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace kctl::kube {

// What a wait makes of the object as last seen (nullopt: it does not exist, or was deleted):
// nullopt when the wait is over, the reason to keep waiting ("not Ready yet"), or an error that
// ends the wait at once (a CSR denied).
using ObjectCheck = std::function<Result<std::optional<std::string>>(const std::optional<Json>&)>;

// How a wait ended without its object being done.
struct WaitTimeout {
  std::string last_reason;  // what the check said last
  std::optional<Json> last; // the object as last seen
};

// Reads `ref` (named), then watches it from that read until `check` says done (the object is
// returned), `check` fails (its error), or `timeout` passes (a WaitTimeout; the caller words the
// error, since it knows what to advise). `on_waiting` is told each new reason to keep waiting.
// The first read matters: a watch without a resourceVersion may start from the watch cache, which
// can still hold the object as it was before a write made just now.
Result<std::variant<Json, WaitTimeout>>
wait_for_object(const Client& client,
                const ResourceRef& ref,
                std::chrono::nanoseconds timeout,
                const ObjectCheck& check,
                const std::function<void(const std::string&)>& on_waiting = {});

// Watches `ref` until it is gone (its finalizers done); false when `timeout` passes first.
Result<bool>
wait_deleted(const Client& client, const ResourceRef& ref, std::chrono::nanoseconds timeout);

} // namespace kctl::kube
