// The one idempotent write every flow uses: make the cluster hold an object as built, and say
// what changed. Re-running a flow therefore converges instead of failing on AlreadyExists.
#pragma once

#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <string>

namespace kctl::flow {

enum class ApplyAction { created, configured, unchanged };

// "created", "configured" or "unchanged" (kubectl's words).
std::string_view to_string(ApplyAction action);

// Returns true when every field `desired` sets has the same value in `actual` (arrays must have
// the same length and match element by element), so fields the server defaults or other
// controllers own do not count as differences.
bool is_subset(const Json& desired, const Json& actual);

// "Deployment karmada-system/karmada-apiserver".
std::string describe(const Json& object);

// Reads the object `desired` names and, unless it already matches, server-side applies `desired`
// (field manager karmadactl, forced: these objects are ours). Under a dry-run client the write is
// recorded, not sent, and the action is what would have happened.
Result<ApplyAction> ensure(const kube::Client& client, const Json& desired);

} // namespace kctl::flow
