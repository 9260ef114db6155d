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

void
Record::add(std::size_t position, Json object) {
  std::lock_guard lock(m_mutex);
  m_by_step[position].push_back(std::move(object));
}

std::vector<Json>
Record::objects() const {
  std::lock_guard lock(m_mutex);
  std::vector<Json> all;
  for (const auto& [position, objects] : m_by_step) {
    all.insert(all.end(), objects.begin(), objects.end());
  }
  return all;
}

Applier::Applier(std::optional<kube::Client> client, Record& record, bool dry_run)
    : m_client(std::move(client)), m_record(&record), m_dry_run(dry_run) {}

Applier::Applier(kube::Client client, Record& record)
    : Applier(std::optional<kube::Client>(client), record, client.dry_run()) {}

Applier
Applier::plan_only(Record& record) {
  return Applier(std::nullopt, record, true);
}

Result<std::string>
Applier::apply(const Json& object, StepReporter& reporter) const {
  m_record->add(reporter.position(), object);
  if (!m_client) {
    return std::string("created (dry run)");
  }
  KCTL_TRY_ASSIGN(ApplyAction action, ensure(*m_client, object));
  std::string word(to_string(action));
  return m_dry_run && action != ApplyAction::unchanged ? word + " (dry run)" : word;
}

Status
Applier::apply_all(const std::vector<Json>& objects, StepReporter& reporter) const {
  for (const auto& object : objects) {
    KCTL_TRY_ASSIGN(std::string word, apply(object, reporter));
    reporter.detail(fmt::format("{} {}", describe(object), word));
  }
  return {};
}

} // namespace kctl::flow
