// kubectl's taint grammar ("KEY[=VALUE]:EFFECT" to add, "KEY[:EFFECT]-" to remove) and the
// computation of the new taint list, as kubectl taint does for nodes; Karmada's Cluster carries the
// same Taint type in spec.taints. Pure functions.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

struct Taint {
  std::string key;
  std::string value;
  std::string effect; // NoSchedule, PreferNoSchedule, NoExecute; "" only in removals (any effect)

  // "key=value:effect", "key:effect" or "key" (kubectl's Taint.ToString).
  std::string to_string() const;
  bool operator==(const Taint&) const = default;
};

struct TaintChanges {
  std::vector<Taint> add;
  std::vector<Taint> remove;
};

// Parses one taint spec without the trailing '-': "k", "k:E", "k=v:E".
Result<Taint> parse_taint(std::string_view spec);

// Parses the taint words of a command line with kubectl's rules: additions need an effect, a
// <key, effect> pair may be added once, and a taint both added and removed is an error. Usage
// errors.
Result<TaintChanges> parse_taint_changes(const std::vector<std::string>& words);

// What kubectl says happened: "tainted", "untainted" or "modified".
enum class TaintOutcome { tainted, untainted, modified };
std::string_view to_string(TaintOutcome outcome);

struct TaintUpdate {
  std::vector<Taint> taints; // the new list
  TaintOutcome outcome = TaintOutcome::tainted;
  bool changed = false;
};

// Applies `changes` to `current` as kubectl does: without `overwrite`, adding a taint whose <key,
// effect> exists is an error ("<object> already has <key> taint(s) with same effect(s) and
// --overwrite is false"); removing a taint that is not there is an error ("taint \"k:E\" not
// found"). `object_name` names the object in errors.
Result<TaintUpdate> apply_taints(const std::vector<Taint>& current,
                                 const TaintChanges& changes,
                                 bool overwrite,
                                 std::string_view object_name);

// Taints from a JSON array (spec.taints); entries keep only key, value and effect.
std::vector<Taint> taints_from_json(const Json& array);

// Taints as a JSON array, keeping each existing entry's other fields (timeAdded) from `previous`
// when the same <key, effect> was already there.
Json taints_to_json(const std::vector<Taint>& taints, const Json& previous);

} // namespace kctl::kube
