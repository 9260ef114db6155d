// PropagationPolicies made for objects, as upstream's `apply --all-clusters` / `-C` makes them:
// one policy per object, named after the object plus a hash of its namespace and type, so applying
// the same object again updates the same policy.
#pragma once

#include "util/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::karmada {

// What a policy selects: the object's type and identity.
struct PolicyTarget {
  std::string api_version;    // "apps/v1"
  std::string kind;           // "Deployment"
  std::string namespace_name; // "" for cluster-scoped objects
  std::string name;
};

// Upstream's policy name: "<name>-<hash>" in lower case, ':' in the name replaced by '.', where
// the hash encodes FNV-32a of the namespace and the Go form of the GroupVersionKind
// ("apps/v1, Kind=Deployment").
std::string policy_name(const PolicyTarget& target);

// A PropagationPolicy (namespaced targets) or ClusterPropagationPolicy (cluster-scoped ones) that
// places `target` on `clusters`, or on every cluster when `clusters` is empty.
Json propagation_policy_for(const PolicyTarget& target, const std::vector<std::string>& clusters);

} // namespace kctl::karmada
