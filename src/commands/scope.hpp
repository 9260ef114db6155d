// Upstream's member scope of a single-cluster command (api-resources, api-versions, describe,
// explain, logs, exec, attach): -s/--operation-scope karmada|members and --cluster NAME, read
// through Karmada's clusters/proxy subresource. Bound, checked and connected here once.
#pragma once

#include "commands/connection.hpp"
#include "util/problems.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace kctl::cli {

struct MemberScope {
  std::string operation_scope = "karmada";
  std::string cluster;
};

// Whether --cluster has upstream's -C too (describe and logs have it; api-resources has not).
enum class ClusterShortFlag { no, yes };

void bind_member_scope(CLI::App& app, MemberScope& scope, ClusterShortFlag short_flag);

// Whether --cluster may name several members, "member1,member2" (describe: ours only; upstream
// takes one name).
enum class ClusterCount { one, several };

// The names --cluster gives: one, or each of a comma-separated list.
std::vector<std::string> scope_clusters(const MemberScope& scope, ClusterCount count);

// members without --cluster, and a cluster name no Cluster can have.
void check_member_scope(const MemberScope& scope,
                        Problems& problems,
                        ClusterCount count = ClusterCount::one);

// The client the scope names: Karmada's own, or the member's through the proxy. A --cluster
// given under the karmada scope is ignored with a warning (upstream ignores it silently).
Result<kube::Client> connect_member_scope(const Connection& karmada, const MemberScope& scope);

// Where a command that may read several members reads: Karmada's client (cluster ""), or each
// member --cluster names, through the proxy.
struct ScopeTarget {
  std::string cluster;
  kube::Client client;
};
Result<std::vector<ScopeTarget>> connect_member_scopes(const Connection& karmada,
                                                       const MemberScope& scope);

} // namespace kctl::cli
