// The one reader of an object's status.conditions (Nodes, Deployments, APIServices, Clusters,
// CSRs). Conditions come from servers, so every field is read without exceptions: an entry that is
// not an object, or a field of another type, reads as absent.
#pragma once

#include "util/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

struct Condition {
  std::string type;
  std::string status; // "True", "False", "Unknown"
  std::string reason;
  std::string message;
};

// Every condition of `object`, in order.
std::vector<Condition> conditions(const Json& object);

// The first condition of `type`, nullopt when there is none.
std::optional<Condition> find_condition(const Json& object, std::string_view type);

// Whether the condition of `type` has status "True".
bool condition_is_true(const Json& object, std::string_view type);

// The status of the condition of `type`, "Unknown" when there is none (as kubectl prints it).
std::string condition_status(const Json& object, std::string_view type);

// "\n    Type=Status Reason Message" for each condition: what a failed wait prints.
std::string conditions_text(const Json& object);

} // namespace kctl::kube
