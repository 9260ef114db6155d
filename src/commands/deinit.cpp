#include "commands/deinit.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "deinit/flow.hpp"
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "karmada/connect.hpp"
#include "karmada/namespaces.hpp"
#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <iostream>
#include <memory>

namespace kctl::cli {

namespace {

struct DeinitOptions {
  std::string namespace_name = std::string(karmada::k_karmada_system);
  ConnectionFlags host;
  std::string karmada_kubeconfig;
  std::string karmada_data = "/etc/karmada";
  DryRunFlag dry_run;
  bool force = false;
  bool purge_namespace = false;
  bool purge_etcd_pvcs = false;
};

// The Karmada API server: the given kubeconfig, else reached through the host (see
// karmada/connect).
Result<kube::Client>
karmada_client(const kube::Client& host, const DeinitOptions& o) {
  if (!o.karmada_kubeconfig.empty()) {
    ConnectionFlags flags;
    flags.kubeconfig = o.karmada_kubeconfig;
    KCTL_TRY_ASSIGN(Connection karmada, connect(flags, ClusterRole::karmada));
    return karmada.client;
  }
  // Reads only: the check runs in dry runs too, and nothing is written through this client.
  return karmada::connect_via_host(host, o.namespace_name, kube::DryRun::no);
}

// Member clusters still registered; an error when the control plane cannot be asked.
Result<std::vector<std::string>>
registered_clusters(const kube::Client& host, const DeinitOptions& o) {
  KCTL_TRY_ASSIGN(kube::Client karmada, karmada_client(host, o));
  KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters, karmada::list_clusters(karmada));
  std::vector<std::string> names;
  for (const auto& cluster : clusters) {
    names.push_back(cluster.name);
  }
  return names;
}

Status
refuse_with_members(const kube::Client& host, const DeinitOptions& o) {
  auto members = registered_clusters(host, o);
  if (!members) {
    return failf("cannot check for registered member clusters: {}\npass "
                 "--karmada-kubeconfig=<karmada-apiserver.config>, "
                 "or --force to remove the control plane anyway",
                 members.error().message);
  }
  if (members->empty()) {
    return {};
  }
  std::string names;
  for (const auto& name : *members) {
    names += (names.empty() ? "" : ", ") + name;
  }
  return failf(
      "member clusters are still registered: {}\nunregister them first (unjoin / unregister), "
      "or pass --force to remove the control plane anyway",
      names);
}

Status
confirm(const DeinitOptions& o) {
  fmt::print(stderr,
             "This removes the Karmada control plane from namespace {} of the host cluster.\n"
             "Please type (y)es or (n)o and then press enter: ",
             o.namespace_name);
  std::string answer;
  while (std::getline(std::cin, answer)) {
    if (answer == "y" || answer == "yes") {
      return {};
    }
    if (answer == "n" || answer == "no") {
      return fail("cancelled; nothing was removed");
    }
    fmt::print(stderr, "Please type (y)es or (n)o and then press enter: ");
  }
  return fail(
      "no answer on standard input; nothing was removed (pass --force to skip the question)");
}

// Every problem in deinit's flags, before anything is contacted.
Problems
check_deinit(const DeinitOptions& o) {
  Problems problems;
  if (o.namespace_name.empty()) {
    problems.add("-n/--namespace must not be empty (the namespace init installed into; default "
                 "karmada-system)");
  }
  check_connection_flags(o.host, problems);
  check_file_flag("--karmada-kubeconfig", o.karmada_kubeconfig, problems);
  return problems;
}

Result<ExitCode>
run_deinit(const DeinitOptions& o) {
  KCTL_TRY_ASSIGN(Connection connection, connect(o.host, ClusterRole::host, o.dry_run.mode()));
  const kube::Client& host = connection.client;
  const kube::RestConfig& rest = connection.rest;
  deinit::DeinitRun run{{o.namespace_name, o.purge_namespace, o.purge_etcd_pvcs}, host};
  KCTL_TRY_ASSIGN(std::optional<Json> ns,
                  with_context(host.get(kube::core("namespaces").with_name(o.namespace_name)),
                               "cannot reach the host cluster"));
  if (!ns) {
    // Already removed (an earlier deinit, perhaps killed after its last step): converge. Only the
    // etcd node labels live outside the namespace; they are checked, nothing else is left.
    fmt::print(stderr,
               "namespace {} does not exist in the host cluster ({}): nothing in it to remove "
               "(an earlier deinit removed it, or use -n for another)\n",
               o.namespace_name,
               rest.server);
    flow::Progress progress(stderr, flow::live_output_for(stderr));
    KCTL_TRY(flow::run(deinit::leftover_stages(run), progress, "run the same deinit again"));
    fmt::print("Nothing left of Karmada in namespace {} of the host cluster.\n", o.namespace_name);
    return ExitCode::ok;
  }
  if (!o.force) {
    KCTL_TRY(refuse_with_members(host, o));
    if (!o.dry_run.requested()) {
      KCTL_TRY(confirm(o));
    }
  }
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(flow::run(
      deinit::deinit_stages(run), progress, "run the same deinit again; it deletes what is left"));
  if (o.dry_run.requested()) {
    fmt::print("Dry run: nothing was removed.\n");
    return ExitCode::ok;
  }
  fmt::print(
      "Karmada was removed from namespace {} of the host cluster.\n"
      "Kept: the local files init wrote in its --karmada-data directory ({} by default: "
      "certificates, "
      "karmada-apiserver.config) and, with hostPath etcd, the etcd data directory on its node "
      "(--etcd-data, /var/lib/karmada-etcd by default). Delete them by hand if you no longer need "
      "them.\n",
      o.namespace_name,
      o.karmada_data);
  return ExitCode::ok;
}

} // namespace

void
setup_deinit(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<DeinitOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "",
      with_program(
          "  # See what would be removed\n  {program} deinit --dry-run\n\n"
          "  # Remove it without the question, even with member clusters still registered\n"
          "  {program} deinit -f\n\n"
          "  # Remove the namespace (and the etcd PVCs in it) too\n"
          "  {program} deinit --purge-namespace",
          invocation.program));
  command->add_option("-n,--namespace", options->namespace_name, "Namespace of the control plane")
      ->capture_default_str();
  bind_connection_flags(*command, options->host, ClusterRole::host);
  command->add_option("--karmada-kubeconfig",
                      options->karmada_kubeconfig,
                      "Kubeconfig of the Karmada API server, to check for member clusters "
                      "(default: the one init stored)");
  command
      ->add_option("-d,--karmada-data",
                   options->karmada_data,
                   "Where init put its local files (only reported)")
      ->capture_default_str();
  bind_dry_run(*command, options->dry_run, DryRunStyle::boolean);
  command->add_flag("-f,--force",
                    options->force,
                    "Do not ask, and remove even while member clusters are registered");
  command->add_flag("--purge-namespace",
                    options->purge_namespace,
                    "Delete the namespace too (with everything in it)");
  command->add_flag("--purge-etcd-pvcs",
                    options->purge_etcd_pvcs,
                    "Delete the etcd PersistentVolumeClaims (PVC mode)");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_deinit(*options); };
    invocation.action = [options] {
      return finish_dry_run(run_deinit(*options), options->dry_run.requested(), "deinit");
    };
  });
}

} // namespace kctl::cli
