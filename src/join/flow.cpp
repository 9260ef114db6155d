#include "join/flow.hpp"

#include "karmada/clusters.hpp"
#include "kube/wait_for.hpp"
#include "util/encoding.hpp"

#include <fmt/format.h>

namespace kctl::join {

namespace {

using flow::StepReporter;

// ---- checks ---------------------------------------------------------------------------------

Status
check_name_and_id(JoinRun& run, StepReporter& reporter) {
  KCTL_TRY_ASSIGN(run.spec.cluster_id, karmada::member_cluster_id(run.member));
  KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters,
                  karmada::list_clusters(run.karmada));
  KCTL_TRY_ASSIGN(run.already_joined, karmada::already_joined(clusters, run.spec));
  reporter.detail(fmt::format("member cluster ID {} at {}{}",
                              run.spec.cluster_id,
                              run.spec.api_endpoint,
                              run.already_joined ? " (already joined as this name; checking "
                                                   "every object)"
                                                 : ""));
  return {};
}

// ---- member ---------------------------------------------------------------------------------

// Right after an unjoin the namespace may still be terminating; nothing can be created in it.
Status
wait_out_terminating_namespace(const JoinRun& run, StepReporter& reporter) {
  kube::ResourceRef ns_ref = kube::core("namespaces").with_name(run.spec.cluster_namespace);
  KCTL_TRY_ASSIGN(std::optional<Json> existing, run.member.get(ns_ref));
  if (!existing || !existing->contains("metadata") ||
      !existing->at("metadata").contains("deletionTimestamp")) {
    return {};
  }
  reporter.status(fmt::format("waiting for the terminating Namespace {} to be gone",
                              run.spec.cluster_namespace));
  KCTL_TRY_ASSIGN(bool gone,
                  kube::wait_deleted(run.member, ns_ref, run.terminating_namespace_timeout));
  if (!gone) {
    return failf("Namespace {} of the member cluster is still terminating after {}s; wait and "
                 "run join again",
                 run.spec.cluster_namespace,
                 run.terminating_namespace_timeout.count());
  }
  return {};
}

bool
has_token(const Json& secret) {
  return !secret.value("/data/token"_json_pointer, std::string{}).empty();
}

// The data of token Secret ns/name once the member's token controller has filled it.
Result<Json>
wait_for_token(const JoinRun& run,
               const std::string& ns,
               const std::string& name,
               StepReporter& reporter) {
  kube::ResourceRef ref = kube::core("secrets").in(ns).with_name(name);
  auto filled = [](const std::optional<Json>& seen) -> Result<std::optional<std::string>> {
    if (seen && has_token(*seen)) {
      return std::nullopt;
    }
    return std::optional<std::string>("no token yet");
  };
  reporter.status(fmt::format("waiting for the token of Secret {}/{}", ns, name));
  KCTL_TRY_ASSIGN(auto outcome, kube::wait_for_object(run.member, ref, run.token_timeout, filled));
  if (const Json* secret = std::get_if<Json>(&outcome)) {
    return secret->value("data", Json::object());
  }
  return failf("the member's token controller did not fill Secret {}/{} within {}s (is "
               "kube-controller-manager running in the member cluster, with "
               "--service-account-private-key-file?)",
               ns,
               name,
               run.token_timeout.count());
}

// In a dry run nothing was created, so nothing fills a token: what is there, else a placeholder
// that says what it stands for.
Result<Json>
planned_token(const JoinRun& run, const std::string& ns, const std::string& name) {
  KCTL_TRY_ASSIGN(std::optional<Json> current,
                  run.member.get(kube::core("secrets").in(ns).with_name(name)));
  Json data = current ? current->value("data", Json::object()) : Json::object();
  if (!data.contains("token")) {
    data["token"] =
        encoding::base64_encode(fmt::format("<token of ServiceAccount {}/{}>", ns, name));
    data["ca.crt"] = encoding::base64_encode("<CA of the member cluster>");
  }
  return data;
}

Result<std::string>
decoded(const Json& data, const char* key) {
  return encoding::base64_decode(data.value(key, std::string{}));
}

Status
read_credentials(JoinRun& run, StepReporter& reporter) {
  std::vector<Json> tokens;
  for (const auto& [ns, name] : karmada::member_token_secrets(run.spec)) {
    KCTL_TRY_ASSIGN(Json data,
                    run.member.dry_run() ? planned_token(run, ns, name)
                                         : wait_for_token(run, ns, name, reporter));
    tokens.push_back(std::move(data));
  }
  KCTL_TRY_ASSIGN(run.credentials.impersonator_token, decoded(tokens.at(0), "token"));
  KCTL_TRY_ASSIGN(run.credentials.token, decoded(tokens.at(1), "token"));
  KCTL_TRY_ASSIGN(run.credentials.ca_crt, decoded(tokens.at(1), "ca.crt"));
  return {};
}

Status
join_member(JoinRun& run, StepReporter& reporter) {
  KCTL_TRY(wait_out_terminating_namespace(run, reporter));
  KCTL_TRY(run.member_applier.apply_all(karmada::member_objects(run.spec), reporter));
  return read_credentials(run, reporter);
}

// ---- Karmada --------------------------------------------------------------------------------

Status
store_credentials(JoinRun& run, StepReporter& reporter) {
  return run.karmada_applier.apply_all(karmada::karmada_secret_objects(run.spec, run.credentials),
                                       reporter);
}

// Makes the Cluster the owner of the credentials join stored, so that deleting the Cluster
// garbage-collects them. An ownerReference is a patch, not part of the applied Secret: applying a
// partial Secret as the same field manager would drop the data it owns.
Status
own_credentials(const JoinRun& run, StepReporter& reporter) {
  KCTL_TRY_ASSIGN(std::optional<Json> cluster,
                  run.karmada.get(karmada::cluster_ref(run.spec.cluster_name)));
  std::string uid = cluster ? cluster->value("/metadata/uid"_json_pointer, std::string{}) : "";
  std::string_view planned = run.karmada.dry_run() ? " (dry run)" : "";
  for (const std::string& name : karmada::credential_secret_names(run.spec)) {
    std::string shown = fmt::format("Secret {}/{} owned by Cluster {}",
                                    run.spec.cluster_namespace,
                                    name,
                                    run.spec.cluster_name);
    if (uid.empty()) {
      if (!run.karmada.dry_run()) {
        return failf("Cluster {} has no uid to own its Secrets", run.spec.cluster_name);
      }
      reporter.detail(fmt::format("{}{}", shown, planned)); // a Cluster only planned has no uid
      continue;
    }
    kube::ResourceRef ref = kube::core("secrets").in(run.spec.cluster_namespace).with_name(name);
    KCTL_TRY_ASSIGN(std::optional<Json> secret, run.karmada.get(ref));
    if (secret && karmada::has_owner_reference(*secret, uid)) {
      continue;
    }
    KCTL_TRY(
        with_context(run.karmada.patch(ref,
                                       kube::PatchType::merge,
                                       karmada::owner_reference_patch(run.spec.cluster_name, uid)),
                     fmt::format("set the owner of Secret {}", name)));
    reporter.detail(fmt::format("{}{}", shown, planned));
  }
  return {};
}

Status
register_cluster(JoinRun& run, StepReporter& reporter) {
  KCTL_TRY(run.karmada_applier.apply_all({karmada::cluster_object(run.spec)}, reporter));
  return own_credentials(run, reporter);
}

} // namespace

JoinRun::JoinRun(karmada::JoinSpec join_spec,
                 kube::Client karmada_client,
                 kube::Client member_client)
    : spec(std::move(join_spec)), karmada(std::move(karmada_client)),
      member(std::move(member_client)), karmada_applier(karmada, plan),
      member_applier(member, plan) {}

flow::Step
join_checks(JoinRun& run) {
  return {"preflight", "Check the cluster name and ID are free", [&run](StepReporter& r) {
            return check_name_and_id(run, r);
          }};
}

std::vector<flow::Stage>
join_stages(JoinRun& run) {
  return {
      {{{"member",
         "Create the member's namespace, service accounts, RBAC and tokens",
         [&run](StepReporter& r) { return join_member(run, r); }}}},
      {{{"secrets",
         "Store the member's credentials in Karmada",
         [&run](StepReporter& r) { return store_credentials(run, r); }}}},
      {{{"cluster",
         "Register the Cluster (Push mode)",
         [&run](StepReporter& r) { return register_cluster(run, r); }}}},
  };
}

Status
run(JoinRun& join_run, flow::Progress& progress) {
  KCTL_TRY(flow::run_check(join_checks(join_run), progress));
  return flow::run(join_stages(join_run),
                   progress,
                   "run the same join again; finished steps are checked and kept");
}

} // namespace kctl::join
