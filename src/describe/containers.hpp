// The pieces of a pod spec kubectl's describers share: containers (with their statuses in a
// Pod), volumes, tolerations, topology spread constraints, resource amounts, int-or-string values
// and controller references. `space` is kubectl's indentation of a block: "" in a Pod, "  " in a
// workload's pod template. Pure.
#pragma once

#include "describe/writer.hpp"
#include "util/json.hpp"

#include <string>
#include <string_view>

namespace kctl::describe {

// Whether `value` is an array or object with something in it.
bool has_items(const Json& value);

// Go's IntOrString.String() of a field (maxSurge "25%", port 8080); "0" when unset.
std::string int_or_string(const Json& value);

// Go's %d of an optional integer field (0 when unset).
std::string number_text(const Json& object, const char* pointer);

// Whether a reference's `optional` field is true.
bool optional_flag(const Json& reference);

// The amount of a quantity field ("100m", "1Gi", a number), 0 when unset or unreadable.
long double amount_of(const Json& value);

// "True" or "False" of a boolean field (False when unset or not a boolean).
std::string bool_word(const Json& value);

// "Kind/name" of the object's controller (its first owner reference marked controller), "" when
// it has none.
std::string controller_of(const Json& object);

// How a block of containers is shown: indented by `space`, with each container's status from
// `statuses` (a Pod's containerStatuses) and downward-API values resolved against `pod`.
struct ContainerView {
  std::string_view space = {};
  const Json* statuses = nullptr;
  const Json* pod = nullptr;
};

// kubectl's "Containers:" (or `label`) block.
void write_containers(Writer& w,
                      std::string_view label,
                      const Json& containers,
                      const ContainerView& view);

// kubectl's "Limits:"/"Requests:" of a ResourceRequirements at `level`.
void write_resources(Writer& w, const Json& resources, int level);

// kubectl's "Volumes:" block.
void write_volumes(Writer& w, const Json& volumes, std::string_view space);

// kubectl's "Topology Spread Constraints:" line(s), nothing when there are none.
void write_spread_constraints(Writer& w, const Json& constraints, std::string_view space);

// kubectl's tolerations block under `title` ("Tolerations", "  Tolerations").
void write_tolerations(Writer& w, std::string_view title, const Json& tolerations);

// kubectl's "WorkloadRef:" block of a pod spec's workloadRef, nothing when unset.
void write_workload_ref(Writer& w, const Json& spec, std::string_view space);

} // namespace kctl::describe
