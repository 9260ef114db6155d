#include "commands/cordon.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "karmada/clusters.hpp"
#include "kube/taints.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct CordonOptions {
  ConnectionFlags karmada;
  std::vector<std::string> names;
  DryRunFlag dry_run;
  bool cordon = true;
};

Problems
check_cordon(const CordonOptions& o) {
  Problems problems;
  if (o.names.size() != 1) {
    problems.add("{} takes exactly one cluster name (got {}): {} CLUSTER",
                 o.cordon ? "cordon" : "uncordon",
                 o.names.size(),
                 o.cordon ? "cordon" : "uncordon");
  }
  check_cluster_names("", o.names, problems);
  check_connection_flags(o.karmada, problems);
  return problems;
}

Result<ExitCode>
run_cordon(const CordonOptions& o) {
  const std::string& name = o.names.front();
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, o.dry_run.mode()));
  KCTL_TRY_ASSIGN(std::optional<Json> cluster, karmada.client.get(karmada::cluster_ref(name)));
  if (!cluster) {
    return failf("clusters.cluster.karmada.io \"{}\" not found", name);
  }
  Json previous = cluster->value("/spec/taints"_json_pointer, Json::array());
  std::vector<kube::Taint> taints = kube::taints_from_json(previous);
  const kube::Taint unschedulable{std::string(karmada::k_unschedulable_taint), "", "NoSchedule"};
  bool cordoned = std::any_of(taints.begin(), taints.end(), [&](const kube::Taint& t) {
    return t.key == unschedulable.key && t.effect == unschedulable.effect;
  });
  const char* verb = o.cordon ? "cordoned" : "uncordoned";
  if (cordoned == o.cordon) {
    fmt::print("{} cluster already {}\n", name, verb);
    return ExitCode::ok;
  }
  if (o.cordon) {
    taints.push_back(unschedulable);
  } else {
    std::erase_if(taints, [&](const kube::Taint& t) {
      return t.key == unschedulable.key && t.effect == unschedulable.effect;
    });
  }
  Json patch = {{"metadata",
                 {{"resourceVersion",
                   cluster->value("/metadata/resourceVersion"_json_pointer, std::string{})}}},
                {"spec", {{"taints", kube::taints_to_json(taints, previous)}}}};
  KCTL_TRY(
      with_context(karmada.client.patch(karmada::cluster_ref(name), kube::PatchType::merge, patch),
                   fmt::format("cannot {} cluster {}", o.cordon ? "cordon" : "uncordon", name)));
  fmt::print("{} cluster {}{}\n", name, verb, o.dry_run.suffix());
  return ExitCode::ok;
}

void
setup_cordon_command(CLI::App& app, Invocation& invocation, bool cordon) {
  auto options = std::make_shared<CordonOptions>();
  options->cordon = cordon;
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      cordon ? "Mark cluster as unschedulable: it gets the taint "
               "cluster.karmada.io/unschedulable:NoSchedule, so the scheduler places no new "
               "workloads on it. Workloads already there stay."
             : "Mark cluster as schedulable again: the taint "
               "cluster.karmada.io/unschedulable:NoSchedule is removed.",
      with_program(cordon ? "  # Mark cluster \"foo\" as unschedulable\n  {program} cordon foo"
                          : "  # Mark cluster \"foo\" as schedulable\n  {program} uncordon foo",
                   invocation.program));
  command->add_option("CLUSTER", options->names, "Name of the cluster")->required();
  bind_dry_run(*command, options->dry_run, DryRunStyle::boolean);
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_cordon(*options); };
    invocation.action = [options] { return run_cordon(*options); };
  });
}

} // namespace

void
setup_cordon(CLI::App& app, Invocation& invocation) {
  setup_cordon_command(app, invocation, true);
}

void
setup_uncordon(CLI::App& app, Invocation& invocation) {
  setup_cordon_command(app, invocation, false);
}

} // namespace kctl::cli
