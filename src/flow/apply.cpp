#include "flow/apply.hpp"

#include <fmt/format.h>

namespace kctl::flow {

std::string_view
to_string(ApplyAction action) {
  switch (action) {
  case ApplyAction::created:
    return "created";
  case ApplyAction::configured:
    return "configured";
  case ApplyAction::unchanged:
    return "unchanged";
  }
  return "unchanged";
}

bool
is_subset(const Json& desired, const Json& actual) {
  if (desired.is_object()) {
    if (!actual.is_object()) {
      return false;
    }
    for (const auto& [key, value] : desired.items()) {
      auto found = actual.find(key);
      if (found == actual.end()) {
        // An empty value the server drops (e.g. emptyDir: {}, args: []) is not a difference.
        if ((value.is_object() || value.is_array()) && value.empty()) {
          continue;
        }
        return false;
      }
      if (!is_subset(value, *found)) {
        return false;
      }
    }
    return true;
  }
  if (desired.is_array()) {
    if (!actual.is_array() || actual.size() != desired.size()) {
      return false;
    }
    for (size_t i = 0; i < desired.size(); ++i) {
      if (!is_subset(desired[i], actual[i])) {
        return false;
      }
    }
    return true;
  }
  return desired == actual;
}

std::string
describe(const Json& object) {
  const Json& metadata = object.at("metadata");
  std::string name = metadata.value("name", "");
  if (std::string ns = metadata.value("namespace", ""); !ns.empty()) {
    name = ns + "/" + name;
  }
  return fmt::format("{} {}", object.value("kind", "object"), name);
}

Result<ApplyAction>
ensure(const kube::Client& client, const Json& desired) {
  KCTL_TRY_ASSIGN(kube::ResourceRef ref, with_context(client.ref_for(desired), describe(desired)));
  KCTL_TRY_ASSIGN(std::optional<Json> current, with_context(client.get(ref), describe(desired)));
  if (current && is_subset(desired, *current)) {
    return ApplyAction::unchanged;
  }
  kube::ApplyOptions options;
  options.force = kube::Force::yes;
  KCTL_TRY(with_context(client.apply(ref, desired, options),
                        fmt::format("apply {}", describe(desired))));
  return current ? ApplyAction::configured : ApplyAction::created;
}

} // namespace kctl::flow
