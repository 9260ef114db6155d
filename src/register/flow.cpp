#include "register/flow.hpp"

#include "karmada/clusters.hpp"
#include "pki/kubeconfig_writer.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

namespace kctl::registration {

namespace {

using flow::StepReporter;
using karmada::RegisterSpec;

StatusLine
status_of(StepReporter& r) {
  return [&r](const std::string& text) { r.status(text); };
}

kube::ResourceRef
agent_kubeconfig_secret_ref(const RegisterRun& run) {
  return kube::core("secrets")
      .in(run.spec.namespace_name)
      .with_name(std::string(karmada::k_agent_kubeconfig_secret));
}

// Reads the member's cluster ID, and refuses a member whose agent serves another cluster name.
Status
preflight(RegisterRun& run, StepReporter& r) {
  const RegisterSpec& spec = run.spec;
  KCTL_TRY_ASSIGN(
      run.cluster_id,
      with_context(karmada::member_cluster_id(run.member),
                   fmt::format("cannot read the member cluster at {}", run.member_server)));
  KCTL_TRY_ASSIGN(std::optional<Json> deployment,
                  with_context(run.member.get(kube::apps("deployments")
                                                  .in(spec.namespace_name)
                                                  .with_name(std::string(karmada::k_agent_name))),
                               "cannot read the member cluster"));
  if (deployment) {
    std::string serving = karmada::agent_cluster_name(*deployment);
    if (serving != spec.cluster_name) {
      return failf("this member cluster already runs karmada-agent (Deployment {}/{}) for "
                   "cluster {:?}\nUnregister that one first (\"{} unregister {} "
                   "--cluster-kubeconfig <this kubeconfig>\"), or register under that name",
                   spec.namespace_name,
                   karmada::k_agent_name,
                   serving,
                   run.settings.program,
                   serving.empty() ? "<name>" : serving);
    }
    r.detail(fmt::format("karmada-agent for {} exists from an earlier run: converging",
                         spec.cluster_name));
  }
  r.detail(fmt::format("member cluster {} (id {})", run.member_server, run.cluster_id));
  return {};
}

Status
discovery(RegisterRun& run, StepReporter& r) {
  const RegisterSettings& settings = run.settings;
  karmada::DiscoveryRequest request;
  request.endpoint = settings.endpoint;
  request.token = settings.token;
  request.trust = settings.trust;
  request.timeout = settings.timeout;
  request.program = settings.program;
  KCTL_TRY_ASSIGN(run.info, run.seams.discover(request, status_of(r)));
  r.detail(fmt::format("cluster-info verified: signed for token id {}, CA {}",
                       settings.token.id,
                       settings.trust.ca_cert_hashes.empty() ? "not pinned (unsafe skip)"
                                                             : "matches the pin"));
  return {};
}

// A client for the Karmada API server authenticating with the bootstrap token.
Result<kube::Client>
connect_with_token(const RegisterRun& run) {
  KCTL_TRY_ASSIGN(
      kube::RestConfig rest,
      karmada::bootstrap_rest_config(run.settings.endpoint, run.info, run.settings.token));
  return run.seams.connect(rest);
}

// Requests a certificate for `common_name` with the bootstrap token under CSR `csr_name`.
Result<karmada::IssuedCertificate>
issue(const RegisterRun& run,
      const std::string& csr_name,
      const std::string& common_name,
      const KeyFuture& key,
      StepReporter& r) {
  KCTL_TRY_ASSIGN(kube::Client bootstrap, connect_with_token(run));
  karmada::CertificateRequestSpec csr;
  if (key.valid()) {
    KCTL_TRY_ASSIGN(csr.key, key.get());
  }
  csr.name = csr_name;
  csr.common_name = common_name;
  csr.organization = std::string(karmada::k_agents_group);
  csr.expiration_seconds = run.settings.cert_expiration_seconds;
  csr.timeout = run.settings.timeout;
  csr.karmada_hint = "against the Karmada API server";
  return run.seams.request_certificate(bootstrap, csr, status_of(r));
}

// Becomes the rbac-generator: a certificate for this run only, whose CSR is then removed.
Status
connect_as_rbac_generator(RegisterRun& run, StepReporter& r) {
  KCTL_TRY_ASSIGN(std::string suffix, karmada::random_suffix());
  std::string csr_name = "agent-rbac-generator-" + run.spec.cluster_name + suffix;
  KCTL_TRY_ASSIGN(
      karmada::IssuedCertificate issued,
      issue(run, csr_name, std::string(karmada::k_rbac_generator_user), run.rbac_generator_key, r));
  KCTL_TRY_ASSIGN(
      kube::RestConfig rest,
      karmada::bootstrap_rest_config(run.settings.endpoint, run.info, run.settings.token));
  rest.auth.token.clear();
  rest.tls.client_certificate_pem = issued.certificate_pem;
  rest.tls.client_key_pem = issued.key_pem;
  rest.origin = "rbac-generator certificate";
  KCTL_TRY_ASSIGN(kube::Client plane, run.seams.connect(rest));
  (void)plane.remove(karmada::csr_ref(csr_name)); // best effort, as upstream
  run.karmada = std::move(plane);
  return {};
}

// Refuses a name or member registered otherwise; an earlier run of this registration converges.
Status
check_cluster_name_free(const RegisterRun& run, StepReporter& r) {
  const std::string& name = run.spec.cluster_name;
  r.status("checking that the cluster name is free");
  KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters,
                  karmada::list_clusters(*run.karmada));
  if (karmada::registered_as_this_member(clusters, name, run.cluster_id)) {
    r.detail(fmt::format("Cluster {} is this member's, from an earlier run: converging", name));
    return {};
  }
  if (auto conflict = karmada::registration_conflict(clusters, name, run.cluster_id); conflict) {
    return failf("{}\nChoose another --cluster-name, or remove the other registration first "
                 "(\"{} unregister\" / \"{} unjoin\")",
                 *conflict,
                 run.settings.program,
                 run.settings.program);
  }
  return {};
}

Status
control_plane(RegisterRun& run, StepReporter& r) {
  KCTL_TRY(connect_as_rbac_generator(run, r));
  KCTL_TRY(check_cluster_name_free(run, r));
  return flow::Applier(*run.karmada, run.plan)
      .apply_all(karmada::control_plane_objects(run.spec), r);
}

// The agent's kubeconfig in the member when it still holds a usable certificate for this control
// plane. A Secret that cannot be read is an error, not "none": a dry run would otherwise plan a
// new certificate nobody checked the need for.
Result<std::optional<std::string>>
kubeconfig_to_keep(const RegisterRun& run) {
  KCTL_TRY_ASSIGN(std::optional<Json> secret,
                  with_context(run.member.get(agent_kubeconfig_secret_ref(run)),
                               "cannot read the agent's kubeconfig Secret in the member cluster"));
  karmada::AgentKubeconfigWant want;
  want.server = karmada::endpoint_url(run.settings.endpoint);
  want.ca_pem = run.info.ca_pem;
  want.cluster_name = run.spec.cluster_name;
  return karmada::reusable_agent_kubeconfig(secret, want);
}

std::string
agent_kubeconfig_for(const RegisterRun& run, const karmada::IssuedCertificate& issued) {
  pki::KubeconfigUser user;
  user.name = run.spec.cluster_name;
  user.client_certificate_pem = issued.certificate_pem;
  user.client_key_pem = issued.key_pem;
  pki::KubeconfigCluster cluster;
  cluster.name = "karmada-apiserver";
  cluster.server = karmada::endpoint_url(run.settings.endpoint);
  cluster.certificate_authority_pem = run.info.ca_pem;
  return pki::render_kubeconfig(
      pki::single_kubeconfig(cluster, user, run.spec.cluster_name + "@karmada-apiserver"));
}

Status
credential(RegisterRun& run, StepReporter& r) {
  KCTL_TRY_ASSIGN(std::optional<std::string> kept, kubeconfig_to_keep(run));
  if (kept) {
    run.agent_kubeconfig = *kept;
    r.detail("the agent's certificate from an earlier run is still valid: kept");
    return {};
  }
  std::string agent = karmada::agent_user(run.spec.cluster_name);
  KCTL_TRY_ASSIGN(std::string suffix, karmada::random_suffix());
  KCTL_TRY_ASSIGN(karmada::IssuedCertificate issued,
                  issue(run, run.spec.cluster_name + "-" + suffix, agent, run.agent_key, r));
  run.agent_kubeconfig = agent_kubeconfig_for(run, issued);
  r.detail(fmt::format("certificate issued for {}", agent));
  return {};
}

Status
apply_member_objects(RegisterRun& run, StepReporter& r) {
  return run.member_applier.apply_all(karmada::member_objects(run.spec, run.agent_kubeconfig), r);
}

Status
wait_for_agent(RegisterRun& run, StepReporter& r) {
  return run.agent_waiter.wait(karmada::agent_deployment(run.spec), r);
}

Status
wait_for_cluster(RegisterRun& run, StepReporter& r) {
  const RegisterSpec& spec = run.spec;
  auto timeout = run.settings.timeout;
  KCTL_TRY_ASSIGN(auto outcome,
                  run.seams.wait_cluster(*run.karmada, spec.cluster_name, timeout, status_of(r)));
  if (const auto* late = std::get_if<kube::WaitTimeout>(&outcome)) {
    return failf("Cluster {} did not become Ready within {}s ({})\nThe agent runs; look at its "
                 "log in the member cluster (Deployment {}/{}) and run register again",
                 spec.cluster_name,
                 std::chrono::duration_cast<std::chrono::seconds>(timeout).count(),
                 late->last_reason,
                 spec.namespace_name,
                 karmada::k_agent_name);
  }
  r.detail(fmt::format("Cluster {} is Ready (syncMode {})",
                       spec.cluster_name,
                       std::get<Json>(outcome).value("/spec/syncMode"_json_pointer, "")));
  return {};
}

// A dry run: the bootstrap token cannot read the control plane, so its part is listed; the
// member's objects are compared through the dry-run client.
Status
show_plan(RegisterRun& run, StepReporter& r) {
  const RegisterSpec& spec = run.spec;
  for (const auto& line : karmada::describe_objects(karmada::control_plane_objects(spec))) {
    r.detail("control plane: would apply " + line);
  }
  r.detail(fmt::format("control plane: would request CertificateSigningRequests "
                       "agent-rbac-generator-{}<random> and {}-<random> with the bootstrap token",
                       spec.cluster_name,
                       spec.cluster_name));
  KCTL_TRY_ASSIGN(std::optional<std::string> kept, kubeconfig_to_keep(run));
  run.agent_kubeconfig = kept.value_or("<the agent's kubeconfig>");
  KCTL_TRY(apply_member_objects(run, r));
  r.detail(fmt::format("then: wait for Deployment {}/{} and for Cluster {} to be Ready",
                       spec.namespace_name,
                       karmada::k_agent_name,
                       spec.cluster_name));
  return {};
}

Result<std::variant<Json, kube::WaitTimeout>>
watch_cluster_until_ready(const kube::Client& karmada,
                          const std::string& name,
                          std::chrono::nanoseconds timeout,
                          const StatusLine& status) {
  // Watched: the agent creates the Cluster and then reports it Ready; each shows up at once.
  auto check = [](const std::optional<Json>& seen) -> Result<std::optional<std::string>> {
    return karmada::cluster_pending_reason(seen);
  };
  return kube::wait_for_object(
      karmada, karmada::cluster_ref(name), timeout, check, [&](const std::string& why) {
        status(fmt::format("waiting for Cluster {}: {}", name, why));
      });
}

} // namespace

RegisterSeams
real_seams() {
  return {
      .discover = [](const karmada::DiscoveryRequest& request,
                     const StatusLine& status) { return karmada::discover(request, status); },
      .connect = [](const kube::RestConfig& rest) { return kube::Client::connect(rest); },
      .request_certificate =
          [](const kube::Client& client,
             const karmada::CertificateRequestSpec& spec,
             const StatusLine& status) {
            return karmada::request_certificate(client, spec, status);
          },
      .wait_cluster = watch_cluster_until_ready,
  };
}

RegisterRun::RegisterRun(karmada::RegisterSpec register_spec,
                         RegisterSettings register_settings,
                         kube::Client member_client)
    : spec(std::move(register_spec)), settings(std::move(register_settings)), member(member_client),
      member_applier(member_client, plan), agent_waiter(member_client, settings.timeout) {}

KeyFuture
generate_agent_key() {
  return std::async(std::launch::async, [] { return pki::generate_rsa_key(); }).share();
}

KeyFuture
generate_rbac_generator_key() {
  return std::async(std::launch::async, [] { return pki::generate_ecdsa_p256_key(); }).share();
}

std::vector<flow::Stage>
register_stages(RegisterRun& run) {
  std::vector<flow::Stage> stages = {
      flow::one_step(run, "preflight", "Run pre-flight checks on the member cluster", preflight),
      flow::one_step(run,
                     "discovery",
                     "Discover the control plane through cluster-info and verify it",
                     discovery),
  };
  if (run.member.dry_run()) {
    stages.push_back(flow::one_step(run, "plan", "Show what register would do", show_plan));
    return stages;
  }
  for (auto& stage : {
           flow::one_step(run,
                          "control-plane",
                          "Assign the agent's RBAC permissions in the control plane",
                          control_plane),
           flow::one_step(run, "credential", "Get the agent's certificate", credential),
           flow::one_step(run,
                          "member",
                          "Create the agent's objects in the member cluster",
                          apply_member_objects),
           flow::one_step(run, "agent", "Wait for karmada-agent", wait_for_agent),
           flow::one_step(
               run, "cluster", "Wait for the Cluster to be registered and Ready", wait_for_cluster),
       }) {
    stages.push_back(stage);
  }
  return stages;
}

} // namespace kctl::registration
