// kubectl describe's text for one object, as pure functions: a describer for each kind kubectl
// has one for that is built here, and kubectl's generic describer (every field, in key order)
// for every other kind, Karmada's included.
#pragma once

#include "util/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::describe {

// What the command read about an object besides the object itself.
struct Related {
  // The events about it; nullopt when not asked for (--show-events=false).
  std::optional<std::vector<Json>> events = std::nullopt;
  // A Namespace's ResourceQuotas and LimitRanges; nullopt when the server serves none.
  std::optional<std::vector<Json>> resource_quotas = std::nullopt;
  std::optional<std::vector<Json>> limit_ranges = std::nullopt;
  // A Deployment's namespace's ReplicaSets its selector picks (those it controls are shown).
  std::optional<std::vector<Json>> replica_sets = std::nullopt;
};

// What a kind's describer shows besides the object, so the command reads only that.
struct Needs {
  bool events = true;
  bool quotas_and_limits = false;
  bool replica_sets = false; // the ReplicaSets the object's spec.selector picks
};
Needs needs_of(std::string_view group, std::string_view kind);

// Describes `object` (with its apiVersion and kind) as kubectl does, ages counted to `now`.
std::string describe_object(const Json& object,
                            const Related& related,
                            std::chrono::system_clock::time_point now);

// kubectl's generic describer, whatever the kind.
std::string describe_generic(const Json& object,
                             const Related& related,
                             std::chrono::system_clock::time_point now);

} // namespace kctl::describe
