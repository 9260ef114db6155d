// `join` (Push mode) as a list of steps over a member cluster and Karmada: the flow and its shared
// state. Every object goes through a flow::Applier, so a re-run converges and a dry run (chosen
// once, by the clients' transport) is a different executor, not an if per step. The objects and
// the decisions about registered clusters are karmada/join_plan's pure functions.
#pragma once

#include "flow/apply.hpp"
#include "flow/steps.hpp"
#include "karmada/join_plan.hpp"
#include "kube/client.hpp"

#include <chrono>
#include <vector>

namespace kctl::join {

struct JoinRun {
  // What to join; spec.cluster_id is filled in by the checks.
  karmada::JoinSpec spec;
  kube::Client karmada;
  kube::Client member;
  // Every object the flow applied or would apply, by step.
  flow::Record plan;
  flow::Applier karmada_applier;
  flow::Applier member_applier;
  // How long the member may take to fill a ServiceAccount token, and to finish deleting the
  // namespace a recent unjoin left terminating.
  std::chrono::seconds token_timeout{30};
  std::chrono::seconds terminating_namespace_timeout{60};

  // Filled in by the steps.
  bool already_joined = false; // the same member is registered under this name: converge
  karmada::MemberCredentials credentials;

  JoinRun(karmada::JoinSpec join_spec, kube::Client karmada_client, kube::Client member_client);
};

// The checks before anything is written (the name and the member's cluster ID are free). A
// refusal is a plain error: nothing was changed, and running the same join again is refused again.
flow::Step join_checks(JoinRun& run);

// The stages of `join`, in order: member, secrets, cluster.
std::vector<flow::Stage> join_stages(JoinRun& run);

// Runs the checks, then the stages; a failed stage names the step, the steps done and says to
// run the same join again.
Status run(JoinRun& join_run, flow::Progress& progress);

} // namespace kctl::join
