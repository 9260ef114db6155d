// The one idempotent write every flow uses: make the cluster hold an object as built, and say
// what changed. Re-running a flow therefore converges instead of failing on AlreadyExists.
//
// Flows (init, join, register, ...) apply through an `Applier`, which also records every object
// in a `Record` under the step that applied it, so `--dry-run -o yaml` prints the plan in step
// order however the parallel steps of a stage interleave:
//
//   flow::Record plan;
//   flow::Applier host(client, plan);                      // or Applier::plan_only(plan)
//   ... in a Step:  KCTL_TRY(host.apply_all(objects, reporter));
//   ... afterwards: for (const Json& object : plan.objects()) print(object);
#pragma once

#include "flow/steps.hpp"
#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

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

// The objects a flow applied or would apply, by step. Safe to use from parallel steps.
class Record {
public:
  // Adds `object` under the step at `position` (StepReporter::position()).
  void add(std::size_t position, Json object);
  // Every object, steps in flow order, each step's objects in the order applied.
  std::vector<Json> objects() const;

private:
  mutable std::mutex m_mutex;
  std::map<std::size_t, std::vector<Json>> m_by_step;
};

// Applies objects with ensure() and records each in a Record. Cheap to copy; copies share the
// Record, which must outlive them.
class Applier {
public:
  // Applies through `client`; with a dry-run client the writes are only recorded by its
  // transport and the words say "(dry run)".
  Applier(kube::Client client, Record& record);
  // Applies nothing and compares with nothing: for a dry run against a cluster that does not
  // exist yet, where every object would be created.
  static Applier plan_only(Record& record);

  // Makes the cluster hold `object` and records it under `reporter`'s step. Returns the word for
  // a progress line: created, configured or unchanged, "(dry run)" appended when not applied.
  Result<std::string> apply(const Json& object, StepReporter& reporter) const;
  // apply()s `objects` in order, adding "<Kind> <namespace>/<name> <word>" under the step.
  Status apply_all(const std::vector<Json>& objects, StepReporter& reporter) const;

private:
  Applier(std::optional<kube::Client> client, Record& record, bool dry_run);
  std::optional<kube::Client> m_client; // nullopt: plan only
  Record* m_record;
  bool m_dry_run;
};

} // namespace kctl::flow
