#include "kube/taints.hpp"

#include "kube/labels.hpp"
#include "util/json_parse.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kctl::kube {

namespace {

bool
valid_effect(std::string_view effect) {
  return effect == "NoSchedule" || effect == "PreferNoSchedule" || effect == "NoExecute";
}

bool
same_key_effect(const Taint& a, const Taint& b) {
  return a.key == b.key && a.effect == b.effect;
}

} // namespace

std::string
Taint::to_string() const {
  if (effect.empty()) {
    return value.empty() ? key : key + "=" + value + ":";
  }
  return value.empty() ? key + ":" + effect : key + "=" + value + ":" + effect;
}

Result<Taint>
parse_taint(std::string_view spec) {
  Taint taint;
  std::vector<std::string_view> parts = strings::split(spec, ':');
  if (parts.size() == 1) {
    taint.key = std::string(parts[0]);
  } else if (parts.size() == 2) {
    taint.effect = std::string(parts[1]);
    if (!valid_effect(taint.effect)) {
      return fail_usage(
          fmt::format("invalid taint effect: {}, unsupported taint effect", taint.effect));
    }
    std::vector<std::string_view> key_value = strings::split(parts[0], '=');
    if (key_value.size() > 2) {
      return fail_usage(fmt::format("invalid taint spec: {}", spec));
    }
    taint.key = std::string(key_value[0]);
    if (key_value.size() == 2) {
      taint.value = std::string(key_value[1]);
      if (auto problem = label_value_error(taint.value)) {
        return fail_usage(fmt::format("invalid taint spec: {}, {}", spec, *problem));
      }
    }
  } else {
    return fail_usage(fmt::format("invalid taint spec: {}", spec));
  }
  if (auto problem = qualified_name_error(taint.key)) {
    return fail_usage(fmt::format("invalid taint spec: {}, {}", spec, *problem));
  }
  return taint;
}

Result<TaintChanges>
parse_taint_changes(const std::vector<std::string>& words) {
  TaintChanges changes;
  for (const auto& word : words) {
    if (word.ends_with('-')) {
      KCTL_TRY_ASSIGN(Taint taint, parse_taint(std::string_view(word).substr(0, word.size() - 1)));
      changes.remove.push_back(Taint{taint.key, "", taint.effect});
      continue;
    }
    KCTL_TRY_ASSIGN(Taint taint, parse_taint(word));
    if (taint.effect.empty()) {
      return fail_usage(fmt::format("invalid taint spec: {}", word));
    }
    if (std::any_of(changes.add.begin(), changes.add.end(), [&](const Taint& t) {
          return same_key_effect(t, taint);
        })) {
      return fail_usage(
          fmt::format("duplicated taints with the same key and effect: {}", taint.to_string()));
    }
    changes.add.push_back(std::move(taint));
  }
  if (changes.add.empty() && changes.remove.empty()) {
    return fail_usage("at least one taint update is required");
  }
  std::string conflicts;
  for (const auto& added : changes.add) {
    for (const auto& removed : changes.remove) {
      if (added.key == removed.key && (removed.effect.empty() || removed.effect == added.effect)) {
        conflicts +=
            fmt::format("{}{}={}", conflicts.empty() ? "" : ", ", removed.key, removed.effect);
      }
    }
  }
  if (!conflicts.empty()) {
    return fail_usage(
        fmt::format("can not both modify and remove the following taint(s) in the same command: {}",
                    conflicts));
  }
  return changes;
}

std::string_view
to_string(TaintOutcome outcome) {
  switch (outcome) {
  case TaintOutcome::tainted:
    return "tainted";
  case TaintOutcome::untainted:
    return "untainted";
  case TaintOutcome::modified:
    return "modified";
  }
  return "modified";
}

Result<TaintUpdate>
apply_taints(const std::vector<Taint>& current,
             const TaintChanges& changes,
             bool overwrite,
             std::string_view object_name) {
  if (!overwrite) {
    for (const auto& taint : changes.add) {
      for (const auto& old : current) {
        if (same_key_effect(taint, old)) {
          return failf("{} already has {} taint(s) with same effect(s) and --overwrite is false",
                       object_name,
                       taint.key);
        }
      }
    }
  }
  TaintUpdate update;
  update.taints = changes.add;
  for (const auto& old : current) {
    if (std::none_of(update.taints.begin(), update.taints.end(), [&](const Taint& t) {
          return same_key_effect(t, old);
        })) {
      update.taints.push_back(old);
    }
  }
  bool added = update.taints.size() != current.size();
  bool removed = false;
  std::string missing;
  for (const auto& taint : changes.remove) {
    auto before = update.taints.size();
    std::erase_if(update.taints, [&](const Taint& t) {
      return t.key == taint.key && (taint.effect.empty() || t.effect == taint.effect);
    });
    removed = update.taints.size() != before;
    if (!removed) {
      missing +=
          fmt::format("{}taint \"{}\" not found", missing.empty() ? "" : "\n", taint.to_string());
    }
  }
  if (!missing.empty()) {
    return fail(missing);
  }
  if ((added && removed) || overwrite) {
    update.outcome = TaintOutcome::modified;
  } else if (added) {
    update.outcome = TaintOutcome::tainted;
  } else {
    update.outcome = TaintOutcome::untainted;
  }
  update.changed = update.taints != current;
  return update;
}

std::vector<Taint>
taints_from_json(const Json& array) {
  std::vector<Taint> out;
  if (!array.is_array()) {
    return out;
  }
  for (const auto& item : array) {
    out.push_back(Taint{json::string_or(item, "key"),
                        json::string_or(item, "value"),
                        json::string_or(item, "effect")});
  }
  return out;
}

Json
taints_to_json(const std::vector<Taint>& taints, const Json& previous) {
  Json out = Json::array();
  for (const auto& taint : taints) {
    Json entry;
    if (previous.is_array()) {
      for (const auto& old : previous) {
        if (json::string_or(old, "key") == taint.key &&
            json::string_or(old, "effect") == taint.effect &&
            json::string_or(old, "value") == taint.value) {
          entry = old;
        }
      }
    }
    if (entry.is_null()) {
      entry = Json::object();
      entry["key"] = taint.key;
      if (!taint.value.empty()) {
        entry["value"] = taint.value;
      }
      entry["effect"] = taint.effect;
    }
    out.push_back(entry);
  }
  return out;
}

} // namespace kctl::kube
