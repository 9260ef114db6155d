#include "kube/conditions.hpp"

#include "util/json_parse.hpp"

#include <fmt/format.h>

namespace kctl::kube {

std::vector<Condition>
conditions(const Json& object) {
  std::vector<Condition> out;
  Json list = json::array_or_empty(json::object_or_empty(object, "status"), "conditions");
  for (const auto& entry : list) {
    out.push_back({json::string_or(entry, "type"),
                   json::string_or(entry, "status"),
                   json::string_or(entry, "reason"),
                   json::string_or(entry, "message")});
  }
  return out;
}

std::optional<Condition>
find_condition(const Json& object, std::string_view type) {
  for (Condition& condition : conditions(object)) {
    if (condition.type == type) {
      return std::move(condition);
    }
  }
  return std::nullopt;
}

bool
condition_is_true(const Json& object, std::string_view type) {
  auto condition = find_condition(object, type);
  return condition && condition->status == "True";
}

std::string
condition_status(const Json& object, std::string_view type) {
  auto condition = find_condition(object, type);
  return condition && !condition->status.empty() ? condition->status : "Unknown";
}

std::string
conditions_text(const Json& object) {
  std::string text;
  for (const Condition& c : conditions(object)) {
    text += fmt::format("\n    {}={} {} {}", c.type, c.status, c.reason, c.message);
  }
  return text;
}

} // namespace kctl::kube
