#include "commands/scope.hpp"

#include "commands/checks.hpp"
#include "commands/flags.hpp"
#include "karmada/clusters.hpp"
#include "karmada/member_proxy.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

namespace kctl::cli {

void
bind_member_scope(CLI::App& app, MemberScope& scope, ClusterShortFlag short_flag) {
  app.add_option("-s,--operation-scope",
                 scope.operation_scope,
                 "Used to control the operation scope of the command: karmada (the Karmada "
                 "control plane) or members (the member cluster given with --cluster)")
      ->check(one_of({"karmada", "members"}))
      ->capture_default_str();
  app.add_option(short_flag == ClusterShortFlag::yes ? "-C,--cluster" : "--cluster",
                 scope.cluster,
                 "Used to specify a target member cluster and only takes effect when the "
                 "command's operation scope is members, for example: --operation-scope=members "
                 "--cluster=member1");
}

std::vector<std::string>
scope_clusters(const MemberScope& scope, ClusterCount count) {
  if (scope.cluster.empty()) {
    return {};
  }
  if (count == ClusterCount::one) {
    return {scope.cluster};
  }
  std::vector<std::string> names;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = scope.cluster.find(',', start);
    names.push_back(
        scope.cluster.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) {
      return names;
    }
    start = comma + 1;
  }
}

void
check_member_scope(const MemberScope& scope, Problems& problems, ClusterCount count) {
  if (scope.operation_scope == "members" && scope.cluster.empty()) {
    problems.add("--operation-scope members needs a member cluster: give --cluster NAME");
  }
  if (!scope.cluster.empty()) {
    check_cluster_names("--cluster", scope_clusters(scope, count), problems);
  }
}

namespace {

// Karmada's own client, warning of a --cluster the karmada scope ignores.
kube::Client
karmada_scope_client(const Connection& karmada, const MemberScope& scope) {
  if (!scope.cluster.empty()) {
    // Upstream ignores it silently; a script that meant a member should hear of it.
    fmt::print(stderr,
               "warning: --cluster {} is ignored: the operation scope is karmada (add "
               "--operation-scope members to read the member)\n",
               terminal::escape_line(scope.cluster));
  }
  return karmada.client;
}

// The proxy client of member `name`, asked for first, so a name Karmada does not know is said
// plainly, not as a proxy's discovery error.
Result<kube::Client>
member_client(const Connection& karmada, const std::string& name) {
  KCTL_TRY_ASSIGN(std::optional<karmada::ClusterSummary> cluster,
                  karmada::find_cluster(karmada.client, name));
  if (!cluster) {
    return failf("cluster({}) is not registered in Karmada", name);
  }
  return karmada::connect_member_proxy(karmada.rest, name);
}

} // namespace

Result<std::vector<ScopeTarget>>
connect_member_scopes(const Connection& karmada, const MemberScope& scope) {
  std::vector<ScopeTarget> targets;
  if (scope.operation_scope != "members") {
    targets.push_back({"", karmada_scope_client(karmada, scope)});
    return targets;
  }
  for (const auto& name : scope_clusters(scope, ClusterCount::several)) {
    KCTL_TRY_ASSIGN(kube::Client client, member_client(karmada, name));
    targets.push_back({name, std::move(client)});
  }
  return targets;
}

Result<kube::Client>
connect_member_scope(const Connection& karmada, const MemberScope& scope) {
  if (scope.operation_scope != "members") {
    return karmada_scope_client(karmada, scope);
  }
  return member_client(karmada, scope.cluster);
}

} // namespace kctl::cli
