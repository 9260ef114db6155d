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

void
check_member_scope(const MemberScope& scope, Problems& problems) {
  if (scope.operation_scope == "members" && scope.cluster.empty()) {
    problems.add("--operation-scope members needs a member cluster: give --cluster NAME");
  }
  if (!scope.cluster.empty()) {
    check_cluster_names("--cluster", {scope.cluster}, problems);
  }
}

Result<kube::Client>
connect_member_scope(const Connection& karmada, const MemberScope& scope) {
  if (scope.operation_scope != "members") {
    if (!scope.cluster.empty()) {
      // Upstream ignores it silently; a script that meant a member should hear of it.
      fmt::print(stderr,
                 "warning: --cluster {} is ignored: the operation scope is karmada (add "
                 "--operation-scope members to read the member)\n",
                 terminal::escape_line(scope.cluster));
    }
    return karmada.client;
  }
  // Asked first, so a name Karmada does not know is said plainly, not as a proxy's discovery error.
  KCTL_TRY_ASSIGN(std::optional<karmada::ClusterSummary> cluster,
                  karmada::find_cluster(karmada.client, scope.cluster));
  if (!cluster) {
    return failf("cluster({}) is not registered in Karmada", scope.cluster);
  }
  return karmada::connect_member_proxy(karmada.rest, scope.cluster);
}

} // namespace kctl::cli
