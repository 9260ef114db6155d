#include "commands/join.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "commands/targets.hpp"
#include "flow/apply.hpp"
#include "flow/steps.hpp"
#include "karmada/clusters.hpp"
#include "karmada/join_plan.hpp"
#include "karmada/register_plan.hpp"
#include "kube/api_error.hpp"
#include "util/encoding.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

struct JoinOptions {
  std::string cluster_name;
  ConnectionFlags karmada;
  ConnectionFlags member;
  std::string cluster_namespace = std::string(karmada::k_default_cluster_namespace);
  std::string provider;
  std::string region;
  std::vector<std::string> zones;
  std::string karmada_as;
  std::vector<std::string> karmada_as_groups;
  std::string karmada_as_uid;
  bool dry_run = false;
};

// The state shared by the steps of one join.
struct JoinRun {
  const JoinOptions& options;
  bool dry_run;
  kube::Client karmada;
  kube::Client member;
  karmada::JoinSpec spec;
  karmada::MemberCredentials credentials;
  bool already_registered = false;
};

std::string
action_word(flow::ApplyAction action, bool dry_run) {
  if (!dry_run || action == flow::ApplyAction::unchanged) {
    return std::string(flow::to_string(action));
  }
  return fmt::format("would be {}", flow::to_string(action));
}

Status
ensure_all(const kube::Client& client,
           const std::vector<Json>& objects,
           bool dry_run,
           flow::StepReporter& reporter) {
  for (const auto& object : objects) {
    KCTL_TRY_ASSIGN(flow::ApplyAction action, flow::ensure(client, object));
    reporter.detail(fmt::format("{} {}", flow::describe(object), action_word(action, dry_run)));
  }
  return {};
}

Status
join_preflight(JoinRun& run, flow::StepReporter& reporter) {
  KCTL_TRY_ASSIGN(run.spec.cluster_id, karmada::member_cluster_id(run.member));
  KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters,
                  karmada::list_clusters(run.karmada));
  std::vector<karmada::ClusterSummary> others;
  for (auto& cluster : clusters) {
    if (cluster.name == run.spec.cluster_name && cluster.id == run.spec.cluster_id) {
      if (cluster.sync_mode == "Pull") {
        return failf("cluster {} is already registered in Pull mode (by karmada-agent); "
                     "unregister it before joining it in Push mode",
                     cluster.name);
      }
      run.already_registered = true;
      continue;
    }
    others.push_back(cluster);
  }
  if (auto conflict =
          karmada::registration_conflict(others, run.spec.cluster_name, run.spec.cluster_id)) {
    return failf(
        "cannot join cluster {}: {}; nothing was changed", run.spec.cluster_name, *conflict);
  }
  reporter.detail(fmt::format("member cluster ID {} at {}{}",
                              run.spec.cluster_id,
                              run.spec.api_endpoint,
                              run.already_registered ? " (already joined as this name; checking "
                                                       "every object)"
                                                     : ""));
  return {};
}

// Waits for the token controller to fill Secret ns/name and returns its data.
Result<Json>
wait_for_token(const kube::Client& member,
               const std::string& ns,
               const std::string& name,
               flow::StepReporter& reporter) {
  kube::ResourceRef ref{"", "v1", "secrets", ns, name, ""};
  Json data;
  auto has_token = [](const Json& secret) {
    return !secret.value("/data/token"_json_pointer, std::string{}).empty();
  };
  KCTL_TRY_ASSIGN(std::optional<Json> current, member.get(ref));
  if (current && has_token(*current)) {
    return current->value("data", Json::object());
  }
  reporter.status(fmt::format("waiting for the token of Secret {}/{}", ns, name));
  kube::WatchOptions options;
  options.timeout = std::chrono::seconds(30);
  KCTL_TRY_ASSIGN(kube::WatchEnd end,
                  member.watch(ref, options, [&](const kube::WatchEvent& event) {
                    if (has_token(event.object)) {
                      data = event.object.value("data", Json::object());
                      return kube::StreamControl::stop;
                    }
                    return kube::StreamControl::proceed;
                  }));
  if (end == kube::WatchEnd::timed_out || data.is_null()) {
    return failf("the member's token controller did not fill Secret {}/{} within 30s (is "
                 "kube-controller-manager running in the member cluster, with "
                 "--service-account-private-key-file?)",
                 ns,
                 name);
  }
  return data;
}

Result<std::string>
decoded(const Json& data, const char* key) {
  return encoding::base64_decode(data.value(key, std::string{}));
}

Status
join_member(JoinRun& run, flow::StepReporter& reporter) {
  // Right after an unjoin the namespace may still be terminating; nothing can be created in it.
  kube::ResourceRef ns_ref{"", "v1", "namespaces", "", run.spec.cluster_namespace, ""};
  KCTL_TRY_ASSIGN(std::optional<Json> existing, run.member.get(ns_ref));
  if (existing && existing->contains("metadata") &&
      existing->at("metadata").contains("deletionTimestamp")) {
    reporter.status(fmt::format("waiting for the terminating Namespace {} to be gone",
                                run.spec.cluster_namespace));
    KCTL_TRY_ASSIGN(bool gone, wait_deleted(run.member, ns_ref, std::chrono::seconds(60)));
    if (!gone) {
      return failf("Namespace {} of the member cluster is still terminating after 60s; wait "
                   "and run join again",
                   run.spec.cluster_namespace);
    }
  }
  KCTL_TRY(ensure_all(run.member, karmada::member_objects(run.spec), run.dry_run, reporter));
  std::vector<Json> tokens;
  for (const auto& [ns, name] : karmada::member_token_secrets(run.spec)) {
    if (run.dry_run) {
      // Nothing was created, so nothing fills a token: use what is there, if anything.
      kube::ResourceRef ref{"", "v1", "secrets", ns, name, ""};
      KCTL_TRY_ASSIGN(std::optional<Json> current, run.member.get(ref));
      Json data = current ? current->value("data", Json::object()) : Json::object();
      if (!data.contains("token")) {
        data["token"] =
            encoding::base64_encode(fmt::format("<token of ServiceAccount {}/{}>", ns, name));
        data["ca.crt"] = encoding::base64_encode("<CA of the member cluster>");
      }
      tokens.push_back(data);
      continue;
    }
    KCTL_TRY_ASSIGN(Json data, wait_for_token(run.member, ns, name, reporter));
    tokens.push_back(std::move(data));
  }
  KCTL_TRY_ASSIGN(run.credentials.impersonator_token, decoded(tokens[0], "token"));
  KCTL_TRY_ASSIGN(run.credentials.token, decoded(tokens[1], "token"));
  KCTL_TRY_ASSIGN(run.credentials.ca_crt, decoded(tokens[1], "ca.crt"));
  return {};
}

Status
join_karmada_secrets(JoinRun& run, flow::StepReporter& reporter) {
  return ensure_all(run.karmada,
                    karmada::karmada_secret_objects(run.spec, run.credentials),
                    run.dry_run,
                    reporter);
}

Status
join_cluster(JoinRun& run, flow::StepReporter& reporter) {
  Json cluster = karmada::cluster_object(run.spec);
  KCTL_TRY(ensure_all(run.karmada, {cluster}, run.dry_run, reporter));
  KCTL_TRY_ASSIGN(std::optional<Json> stored,
                  run.karmada.get(karmada::cluster_ref(run.spec.cluster_name)));
  std::string uid = stored ? stored->value("/metadata/uid"_json_pointer, std::string{}) : "";
  for (const std::string& name : {run.spec.cluster_name, run.spec.cluster_name + "-impersonator"}) {
    kube::ResourceRef ref{"", "v1", "secrets", run.spec.cluster_namespace, name, ""};
    if (uid.empty()) {
      reporter.detail(fmt::format(
          "Secret {}/{} would be owned by the Cluster", run.spec.cluster_namespace, name));
      continue;
    }
    KCTL_TRY_ASSIGN(std::optional<Json> secret, run.karmada.get(ref));
    if (secret && karmada::has_owner_reference(*secret, uid)) {
      continue;
    }
    KCTL_TRY(
        with_context(run.karmada.patch(ref,
                                       kube::PatchType::merge,
                                       karmada::owner_reference_patch(run.spec.cluster_name, uid)),
                     fmt::format("set the owner of Secret {}", name)));
    reporter.detail(fmt::format("Secret {}/{} {}owned by Cluster {}",
                                run.spec.cluster_namespace,
                                name,
                                run.dry_run ? "would be " : "",
                                run.spec.cluster_name));
  }
  return {};
}

// Reports the preflight checks as a step of their own.
class CheckReporter final : public flow::StepReporter {
public:
  CheckReporter(flow::Progress& progress, const flow::Step& step)
      : m_progress(progress), m_step(step) {}
  void status(const std::string& text) override { m_progress.status(m_step, text); }
  void detail(const std::string& text) override { m_progress.detail(m_step, text); }

private:
  flow::Progress& m_progress;
  const flow::Step& m_step;
};

Status
run_join_checks(JoinRun& run, flow::Progress& progress) {
  flow::Step step{"preflight", "Check the cluster name and ID are free", {}};
  auto start = std::chrono::steady_clock::now();
  progress.started(step);
  CheckReporter reporter(progress, step);
  Status checked = join_preflight(run, reporter);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (checked) {
    progress.finished(step, took);
  } else {
    progress.failed(step, took);
  }
  return checked;
}

// Every problem in join's flags and arguments (run before anything is read or contacted).
Problems
check_join(const JoinOptions& o) {
  Problems problems;
  if (o.cluster_name.empty()) {
    problems.add("the cluster name is required: join CLUSTER_NAME --cluster-kubeconfig=<file>");
  } else {
    problems.add_if_failed(karmada::validate_cluster_name(o.cluster_name, "CLUSTER_NAME"));
  }
  check_connection_flags(o.karmada, problems);
  check_connection_flags(o.member, problems, "--cluster-kubeconfig");
  if (o.cluster_namespace.empty()) {
    problems.add("--cluster-namespace must not be empty (default: {})",
                 karmada::k_default_cluster_namespace);
  }
  if (!o.karmada_as.empty() || !o.karmada_as_groups.empty() || !o.karmada_as_uid.empty()) {
    problems.add("--karmada-as, --karmada-as-group and --karmada-as-uid are not supported "
                 "yet; use a kubeconfig for the identity instead");
  }
  return problems;
}

Result<ExitCode>
run_join(const JoinOptions& o) {
  if (o.cluster_namespace == "karmada-system") {
    fmt::print(stderr,
               "warning: karmada-system is the namespace of Karmada's own components; prefer "
               "the default karmada-cluster for member credentials\n");
  }
  kube::DryRun dry = o.dry_run ? kube::DryRun::yes : kube::DryRun::no;
  KCTL_TRY_ASSIGN(Connection karmada, connect(o.karmada, ClusterRole::karmada, dry));
  KCTL_TRY_ASSIGN(Connection member, connect(o.member, ClusterRole::member, dry));
  JoinRun run{o, o.dry_run, karmada.client, member.client, {}, {}, false};
  run.spec.cluster_name = o.cluster_name;
  run.spec.cluster_namespace = o.cluster_namespace;
  run.spec.api_endpoint = member.rest.server;
  run.spec.provider = o.provider;
  run.spec.region = o.region;
  run.spec.zones = o.zones;
  run.spec.insecure_skip_tls_verification =
      member.rest.tls.verification == kube::TlsVerification::skip;
  run.spec.proxy_url = member.rest.proxy_url;

  flow::Progress progress(stderr, flow::live_output_for(stderr));
  // The checks run before the flow so that a refusal is a plain error: nothing was changed, and
  // running the same join again would be refused again.
  KCTL_TRY(run_join_checks(run, progress));
  std::vector<flow::Stage> stages = {
      {{{"member",
         "Create the member's namespace, service accounts, RBAC and tokens",
         [&](flow::StepReporter& r) { return join_member(run, r); }}}},
      {{{"secrets",
         "Store the member's credentials in Karmada",
         [&](flow::StepReporter& r) { return join_karmada_secrets(run, r); }}}},
      {{{"cluster",
         "Register the Cluster (Push mode)",
         [&](flow::StepReporter& r) { return join_cluster(run, r); }}}},
  };
  KCTL_TRY(
      flow::run(stages, progress, "run the same join again; finished steps are checked and kept"));
  if (o.dry_run) {
    fmt::print("Dry run: cluster({}) would be joined; nothing was changed.\n", o.cluster_name);
  } else {
    fmt::print("cluster({}) is joined successfully\n", o.cluster_name);
  }
  return ExitCode::ok;
}

} // namespace

void
setup_join(CLI::App& app, Invocation& invocation) {
  auto options = std::make_shared<JoinOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "Register a cluster to Karmada control plane with Push mode.\n\n"
      "The member cluster gets a namespace (--cluster-namespace), the ServiceAccounts "
      "karmada-impersonator and karmada-<CLUSTER_NAME> with token Secrets, and a ClusterRole and "
      "ClusterRoleBinding karmada-controller-manager:karmada-<CLUSTER_NAME>. Karmada gets the "
      "member's credentials as Secrets <CLUSTER_NAME> and <CLUSTER_NAME>-impersonator and the "
      "Cluster object in Push mode.\n\n"
      "A name or cluster ID already registered is refused before anything is created. Running "
      "join again converges: objects that are already right are left alone, so a join that "
      "failed half-way is finished by running it again.",
      with_program(
          "  # Join cluster into karmada control plane, if '--cluster-context' not specified, "
          "take the current context of the member kubeconfig\n"
          "  {program} join CLUSTER_NAME --cluster-kubeconfig=<CLUSTER_KUBECONFIG>\n\n"
          "  # The Karmada API server's kubeconfig may be given before the command\n"
          "  {program} --kubeconfig /etc/karmada/karmada-apiserver.config join member1 "
          "--cluster-kubeconfig=$HOME/.kube/config\n\n"
          "  # See what would be created on both sides, and change nothing\n"
          "  {program} join member1 --cluster-kubeconfig=member1.config --dry-run",
          invocation.program));
  command->add_option("CLUSTER_NAME", options->cluster_name, "Name of the member cluster")
      ->required();
  bind_connection_flags(*command, options->karmada, ClusterRole::karmada);
  bind_member_flags(*command, options->member, "--cluster-kubeconfig", "--cluster-context");
  command
      ->add_option("--cluster-namespace",
                   options->cluster_namespace,
                   "Namespace in the control plane (and the member) where member cluster "
                   "credentials are stored")
      ->capture_default_str();
  command->add_option("--cluster-provider", options->provider, "Provider of the joining cluster");
  command->add_option("--cluster-region", options->region, "The region of the joining cluster");
  command->add_option("--cluster-zones", options->zones, "The zones of the joining cluster")
      ->delimiter(',');
  command->add_option(
      "--karmada-as", options->karmada_as, "Username to impersonate toward Karmada");
  command->add_option("--karmada-as-group",
                      options->karmada_as_groups,
                      "Group to impersonate toward Karmada (repeatable)");
  command->add_option(
      "--karmada-as-uid", options->karmada_as_uid, "UID to impersonate toward Karmada");
  command->add_flag("--dry-run",
                    options->dry_run,
                    "Print what would be created on both sides and change nothing");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, options] {
    invocation.validate = [options] { return check_join(*options); };
    invocation.action = [options] {
      return finish_dry_run(run_join(*options), options->dry_run, "join");
    };
  });
}

} // namespace kctl::cli
