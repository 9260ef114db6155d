#include "commands/unregister.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "karmada/register_plan.hpp"
#include "kube/kubeconfig.hpp"
#include "kube/wait_for.hpp"
#include "util/duration.hpp"
#include "util/encoding.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

namespace kctl::cli {

namespace {

struct UnregisterOptions {
  std::string cluster_name;
  ConnectionFlags member;
  ConnectionFlags karmada;
  std::string namespace_name = "karmada-system";
  std::string agent_name = "karmada-agent";
  std::string cluster_namespace = "karmada-cluster";
  std::chrono::nanoseconds wait = std::chrono::seconds(60);
  bool dry_run = false;
};

const kube::ResourceRef k_works{"work.karmada.io", "v1alpha1", "works", "", "", ""};

std::string
flag_value(const Json& container, std::string_view flag) {
  for (const char* field : {"command", "args"}) {
    for (const auto& arg : container.value(field, Json::array())) {
      if (arg.is_string() && arg.get<std::string>().starts_with(flag)) {
        return arg.get<std::string>().substr(flag.size());
      }
    }
  }
  return "";
}

// The Karmada API server as the agent reaches it: the kubeconfig its Deployment mounts from a
// Secret (--karmada-kubeconfig, --karmada-context).
Result<kube::RestConfig>
agent_karmada_config(const kube::Client& member, const Json& deployment) {
  const Json spec = deployment.value("/spec/template/spec"_json_pointer, Json::object());
  for (const auto& container : spec.value("containers", Json::array())) {
    std::string path = flag_value(container, "--karmada-kubeconfig=");
    if (path.empty()) {
      continue;
    }
    std::string context = flag_value(container, "--karmada-context=");
    for (const auto& mount : container.value("volumeMounts", Json::array())) {
      std::string mount_path = mount.value("mountPath", "");
      if (mount_path.empty() || !path.starts_with(mount_path + "/")) {
        continue;
      }
      std::string key = path.substr(mount_path.size() + 1);
      for (const auto& volume : spec.value("volumes", Json::array())) {
        if (volume.value("name", "") != mount.value("name", "") || !volume.contains("secret")) {
          continue;
        }
        std::string secret_name = volume["secret"].value("secretName", "");
        std::string ns = deployment.value("/metadata/namespace"_json_pointer, "");
        KCTL_TRY_ASSIGN(std::optional<Json> secret,
                        member.get({"", "v1", "secrets", ns, secret_name, ""}));
        if (!secret) {
          return failf("the agent's kubeconfig Secret {}/{} does not exist", ns, secret_name);
        }
        std::string encoded = (*secret).value(Json::json_pointer("/data/" + key), "");
        KCTL_TRY_ASSIGN(std::string text, encoding::base64_decode(encoded));
        KCTL_TRY_ASSIGN(kube::Kubeconfig config,
                        kube::parse_kubeconfig(text, fmt::format("Secret {}/{}", ns, secret_name)));
        std::string context_name = context.empty() ? config.current_context : context;
        auto ctx = config.contexts.find(context_name);
        if (ctx == config.contexts.end() || !config.clusters.contains(ctx->second.cluster) ||
            !config.users.contains(ctx->second.user)) {
          return failf("the agent's kubeconfig (Secret {}/{}) has no usable context {:?}",
                       ns,
                       secret_name,
                       context_name);
        }
        const auto& cluster = config.clusters.at(ctx->second.cluster);
        const auto& user = config.users.at(ctx->second.user);
        kube::RestConfig rest;
        rest.server = cluster.server;
        rest.tls.ca_pem = cluster.certificate_authority_data;
        rest.tls.client_certificate_pem = user.client_certificate_data;
        rest.tls.client_key_pem = user.client_key_data;
        rest.auth.token = user.token;
        rest.origin = fmt::format("the agent's kubeconfig (Secret {}/{})", ns, secret_name);
        return rest;
      }
    }
  }
  return fail("the karmada-agent Deployment mounts no kubeconfig from a Secret; give the "
              "Karmada API server with --karmada-config");
}

struct UnregisterState {
  std::optional<Connection> member;
  std::optional<kube::Client> karmada;
  bool cluster_exists = false;
};

Status
delete_works(const UnregisterState& s, const UnregisterOptions& o, flow::StepReporter& r) {
  kube::ResourceRef works = k_works;
  works.namespace_name = "karmada-es-" + o.cluster_name;
  auto deadline = std::chrono::steady_clock::now() + o.wait;
  while (true) {
    auto list = s.karmada->list(works);
    if (!list) {
      if (list.error().http_status == 404) {
        return {};
      }
      return std::unexpected(list.error().with_context("cannot list the cluster's Works"));
    }
    const Json items = list->value("items", Json::array());
    if (items.empty() || o.dry_run) {
      if (o.dry_run) {
        r.detail(fmt::format("would delete {} Works in {}", items.size(), works.namespace_name));
      }
      return {};
    }
    for (const auto& item : items) {
      if (!item.contains("/metadata/deletionTimestamp"_json_pointer)) {
        KCTL_TRY(s.karmada->remove(works.with_name(item.value("/metadata/name"_json_pointer, ""))));
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return failf("{} Works in {} were not removed within --wait; the agent removes their "
                   "finalizers: check that it runs, or raise --wait",
                   items.size(),
                   works.namespace_name);
    }
    r.status(fmt::format("waiting for {} Works in {} to go", items.size(), works.namespace_name));
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

Status
delete_cluster(const UnregisterState& s, const UnregisterOptions& o, flow::StepReporter& r) {
  if (!s.cluster_exists) {
    r.detail(fmt::format("Cluster {} does not exist (already removed)", o.cluster_name));
    return {};
  }
  KCTL_TRY(s.karmada->remove(karmada::cluster_ref(o.cluster_name)));
  if (o.dry_run) {
    r.detail(fmt::format("would delete Cluster {}", o.cluster_name));
    return {};
  }
  r.status(fmt::format("waiting for Cluster {} to be deleted", o.cluster_name));
  KCTL_TRY_ASSIGN(bool gone,
                  kube::wait_deleted(*s.karmada, karmada::cluster_ref(o.cluster_name), o.wait));
  if (!gone) {
    auto cluster = s.karmada->get(karmada::cluster_ref(o.cluster_name));
    return failf("Cluster {} is still being deleted after --wait (finalizers: {}); check "
                 "karmada-controller-manager, or raise --wait",
                 o.cluster_name,
                 cluster && *cluster
                     ? (*cluster)->value("/metadata/finalizers"_json_pointer, Json::array()).dump()
                     : "unknown");
  }
  r.detail(fmt::format("deleted Cluster {}", o.cluster_name));
  return {};
}

Status
delete_refs(const kube::Client& client,
            const std::vector<kube::ResourceRef>& refs,
            bool dry_run,
            const std::string& where,
            flow::StepReporter& r) {
  kube::DeleteOptions background;
  background.propagation_policy = "Background";
  for (const auto& ref : refs) {
    KCTL_TRY_ASSIGN(kube::DeleteOutcome outcome, client.remove(ref, background));
    if (outcome == kube::DeleteOutcome::deleted) {
      r.detail(fmt::format("{}: {} {} {}{}",
                           where,
                           dry_run ? "would delete" : "deleted",
                           ref.resource,
                           ref.namespace_name.empty() ? "" : ref.namespace_name + "/",
                           ref.name));
    }
  }
  return {};
}

// Every problem in unregister's flags and arguments (run before anything is read or contacted).
Problems
check_unregister(const UnregisterOptions& o) {
  Problems problems;
  if (o.cluster_name.empty()) {
    problems.add("give the name of the cluster to unregister: unregister CLUSTER_NAME");
  }
  if (o.member.kubeconfig.empty()) {
    problems.add("--cluster-kubeconfig is required: the kubeconfig of the member cluster");
  }
  check_connection_flags(o.member, problems, "--cluster-kubeconfig");
  check_file_flag("--karmada-config", o.karmada.kubeconfig, problems);
  if (!o.karmada.context.empty() && o.karmada.kubeconfig.empty()) {
    problems.add("--karmada-context {} needs --karmada-config (without it the agent's own "
                 "credentials are used)",
                 o.karmada.context);
  }
  for (const auto& [flag, value] : {std::pair{"-n/--namespace", &o.namespace_name},
                                    std::pair{"--agent-name", &o.agent_name},
                                    std::pair{"--cluster-namespace", &o.cluster_namespace}}) {
    if (value->empty()) {
      problems.add("{} must not be empty", flag);
    }
  }
  if (o.wait.count() <= 0) {
    problems.add("invalid argument \"{}\" for \"--wait\" flag: must be positive (e.g. 60s, 2m)",
                 format_duration(o.wait));
  }
  return problems;
}

Result<ExitCode>
run_unregister(const UnregisterOptions& o, const std::string& program) {
  kube::DryRun dry = o.dry_run ? kube::DryRun::yes : kube::DryRun::no;
  auto state = std::make_shared<UnregisterState>();
  UnregisterState& s = *state;
  KCTL_TRY_ASSIGN(Connection member, connect(o.member, ClusterRole::member, dry));
  s.member = std::move(member);
  KCTL_TRY_ASSIGN(
      std::optional<Json> deployment,
      with_context(
          s.member->client.get({"apps", "v1", "deployments", o.namespace_name, o.agent_name, ""}),
          "cannot read the member cluster"));
  if (!o.karmada.kubeconfig.empty()) {
    KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, dry));
    s.karmada = karmada.client;
  } else if (deployment) {
    KCTL_TRY_ASSIGN(kube::RestConfig rest, agent_karmada_config(s.member->client, *deployment));
    KCTL_TRY_ASSIGN(kube::Client client, kube::Client::connect(rest, dry));
    s.karmada = client;
  } else {
    return failf("no Deployment {}/{} in the member cluster to take the Karmada credentials from; "
                 "give the Karmada API server with --karmada-config",
                 o.namespace_name,
                 o.agent_name);
  }
  KCTL_TRY_ASSIGN(std::optional<Json> cluster,
                  with_context(s.karmada->get(karmada::cluster_ref(o.cluster_name)),
                               "cannot read the Cluster from the Karmada API server"));
  if (cluster) {
    std::string mode = cluster->value("/spec/syncMode"_json_pointer, "");
    if (mode != "Pull") {
      return failf("cluster {} is registered in {} mode; remove it with \"{} unjoin {}\"",
                   o.cluster_name,
                   mode,
                   program,
                   o.cluster_name);
    }
    s.cluster_exists = true;
  }

  std::vector<flow::Stage> stages = {
      {{{"works",
         "Delete the cluster's Works",
         [&](flow::StepReporter& r) { return delete_works(s, o, r); }}}},
      {{{"cluster",
         "Delete the Cluster",
         [&](flow::StepReporter& r) { return delete_cluster(s, o, r); }}}},
      {{{"control-plane",
         "Delete the agent's RBAC and leader-election Lease in the control plane",
         [&](flow::StepReporter& r) -> Status {
           auto refs = karmada::control_plane_rbac_refs(o.cluster_name, o.cluster_namespace);
           if (o.karmada.kubeconfig.empty()) {
             std::string names;
             for (const auto& ref : refs) {
               names += fmt::format("\n  {} {}{}",
                                    ref.resource,
                                    ref.namespace_name.empty() ? "" : ref.namespace_name + "/",
                                    ref.name);
             }
             fmt::print(stderr,
                        "warning: the agent's credentials cannot remove its RBAC objects in the "
                        "control plane; give --karmada-config to remove them, or delete them by "
                        "hand:{}\n",
                        names);
             return {};
           }
           // The Lease last, once the RBAC that let the old agent renew it is gone, so that a
           // new registration of this cluster is Ready in seconds instead of after it expires.
           refs.push_back(karmada::agent_lease_ref(o.namespace_name, o.cluster_name));
           return delete_refs(*s.karmada, refs, o.dry_run, "control plane", r);
         }}}},
      {{{"member",
         "Delete the agent and what it created in the member cluster",
         [&](flow::StepReporter& r) -> Status {
           std::vector<kube::ResourceRef> refs =
               karmada::member_refs(o.namespace_name, o.cluster_name, o.cluster_namespace);
           refs.front().name = o.agent_name;
           KCTL_TRY(delete_refs(s.member->client, refs, o.dry_run, "member", r));
           // Done when the namespaces are gone, not while they terminate: a register right
           // after would otherwise see its agent fail to create objects in them and restart.
           for (const auto& ref : refs) {
             if (ref.resource != "namespaces" || o.dry_run) {
               continue;
             }
             r.status(fmt::format("waiting for namespace {} to be deleted", ref.name));
             KCTL_TRY_ASSIGN(bool gone, kube::wait_deleted(s.member->client, ref, o.wait));
             if (!gone) {
               return failf("namespace {} of the member cluster is still terminating after "
                            "--wait; run the same unregister again later, or raise --wait",
                            ref.name);
             }
           }
           return {};
         }}}},
  };
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(flow::run(
      stages, progress, "run the same unregister command again; it removes what is left"));
  for (const char* legacy : {"/etc/karmada/karmada-agent.conf", "/etc/karmada/pki/ca.crt"}) {
    std::error_code ignored;
    if (!o.dry_run && std::filesystem::exists(legacy, ignored)) {
      std::filesystem::remove(legacy, ignored);
    }
  }
  if (o.dry_run) {
    fmt::print("Dry run: nothing was removed.\n");
    return ExitCode::ok;
  }
  fmt::print("cluster {} is unregistered\n", o.cluster_name);
  return ExitCode::ok;
}

} // namespace

void
setup_unregister(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<UnregisterOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Remove a Pull-mode cluster from the Karmada control plane.\n\n"
      "Deletes the cluster's Works and the Cluster, waiting (--wait) for each to be gone; with "
      "--karmada-config, also the agent's RBAC in the control plane and its leader-election Lease "
      "(so that registering the cluster again is Ready in seconds, not after the Lease expires); "
      "then the agent and what it created in the member cluster, waiting until the member's "
      "namespaces are gone (so that a register right after finds a clean member). Running "
      "unregister again finishes what is left.",
      with_program(
          "  # Unregister cluster member3, using the agent's credentials for the control plane\n"
          "  {program} unregister member3 --cluster-kubeconfig=<member3 kubeconfig>\n\n"
          "  # Also remove the agent's RBAC and Lease in the control plane\n"
          "  {program} unregister member3 --cluster-kubeconfig=<member3 kubeconfig> "
          "--karmada-config=<karmada-apiserver.config>",
          invocation.program));
  command->add_option("cluster", o->cluster_name, "Name of the cluster")->type_name("CLUSTER_NAME");
  bind_member_flags(*command, o->member, "--cluster-kubeconfig", "--cluster-context");
  command->add_option("--karmada-config",
                      o->karmada.kubeconfig,
                      "Kubeconfig of the Karmada API server (default: the agent's own)");
  command->add_option("--karmada-context", o->karmada.context, "Context in --karmada-config");
  command->add_option("-n,--namespace", o->namespace_name, "Member namespace of karmada-agent")
      ->capture_default_str();
  command->add_option("--agent-name", o->agent_name, "Name of the karmada-agent Deployment")
      ->capture_default_str();
  command
      ->add_option("--cluster-namespace",
                   o->cluster_namespace,
                   "Namespace where the cluster's secrets are stored")
      ->capture_default_str();
  add_duration_flag(*command, "--wait", o->wait, "How long to wait for each removal");
  command->add_flag("--dry-run", o->dry_run, "Show what would be removed and remove nothing");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o] {
    invocation.validate = [o] { return check_unregister(*o); };
    invocation.action = [o, program = invocation.program] {
      return finish_dry_run(run_unregister(*o, program), o->dry_run, "unregister");
    };
  });
}

} // namespace kctl::cli
