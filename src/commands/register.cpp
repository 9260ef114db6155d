#include "commands/register.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "flow/apply.hpp"
#include "flow/steps.hpp"
#include "flow/wait.hpp"
#include "karmada/agent_csr.hpp"
#include "karmada/bootstrap_token.hpp"
#include "karmada/clusters.hpp"
#include "karmada/discovery.hpp"
#include "karmada/endpoint.hpp"
#include "karmada/register_plan.hpp"
#include "kube/kubeconfig.hpp"
#include "kube/wait_for.hpp"
#include "pki/certificate.hpp"
#include "pki/kubeconfig_writer.hpp"
#include "pki/pin.hpp"
#include "util/build_info.hpp"
#include "util/duration.hpp"
#include "util/encoding.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <future>
#include <memory>
#include <thread>

namespace kctl::cli {

namespace {

// Kubernetes refuses CertificateSigningRequests with a shorter expirationSeconds.
constexpr std::int64_t k_min_cert_expiration_seconds = 600;

struct RegisterOptions {
  std::string endpoint;
  ConnectionFlags member;
  std::string namespace_name = "karmada-system";
  std::string cluster_name;
  std::string cluster_namespace = "karmada-cluster";
  std::string cluster_provider;
  std::string cluster_region;
  std::vector<std::string> cluster_zones;
  bool enable_cert_rotation = false;
  std::string token;
  std::vector<std::string> ca_cert_hashes;
  bool unsafe_skip_ca_verification = false;
  std::chrono::nanoseconds discovery_timeout = std::chrono::minutes(5);
  std::string agent_image =
      fmt::format("docker.io/karmada/karmada-agent:{}", build_info::k_karmada_version);
  std::int32_t agent_replicas = 1;
  std::int64_t cert_expiration_seconds = 31536000;
  bool dry_run = false;
  std::string proxy_server_address;
};

// What the steps learn and hand on.
using KeyFuture = std::shared_future<Result<pki::PrivateKey>>;

// RSA 2048 for the agent's certificate, as upstream's; its generation takes about 0.7 s on one
// core, so it starts in the background at once and is ready when the credential step needs it.
KeyFuture
generate_agent_key() {
  return std::async(std::launch::async, [] { return pki::generate_rsa_key(); }).share();
}

// ECDSA P-256 for the rbac-generator's certificate, which only this run uses (it is never
// stored): generated in a millisecond, so the first CSR goes out at once.
KeyFuture
generate_rbac_generator_key() {
  return std::async(std::launch::async, [] { return pki::generate_ecdsa_p256_key(); }).share();
}

struct RegisterState {
  std::optional<Connection> member;
  karmada::RegisterSpec spec;
  karmada::BootstrapToken token;
  std::string cluster_id;
  karmada::ClusterInfo info;
  std::optional<kube::Client> karmada; // as the rbac-generator, for this run only
  std::string agent_kubeconfig;
  // The keys of the two certificate requests, generated in the background from the start, so
  // that neither request waits for its key.
  KeyFuture rbac_generator_key;
  KeyFuture agent_key;
};

// The cluster name the kubeconfig's current context names (upstream's default for
// --cluster-name; read from the file even when --context is given).
Result<std::string>
default_cluster_name(const ConnectionFlags& member) {
  kube::ConnectionOptions options;
  options.kubeconfig = member.kubeconfig;
  KCTL_TRY_ASSIGN(std::optional<kube::Kubeconfig> config,
                  kube::load_kubeconfig(options, kube::Environment::current()));
  if (!config) {
    return std::string();
  }
  auto context = config->contexts.find(config->current_context);
  return context == config->contexts.end() ? std::string() : context->second.cluster;
}

// Every problem in register's flags and arguments (run before anything is read or contacted).
Problems
check_register(const RegisterOptions& o) {
  Problems problems;
  if (o.endpoint.empty()) {
    problems.add("give the Karmada API server's endpoint: register <host>:<port> (as "
                 "\"token create --print-register-command\" prints it)");
  } else {
    // Before anything is contacted: a typo must not become a DNS lookup or a connection.
    problems.take(karmada::parse_api_endpoint(o.endpoint));
  }
  if (o.token.empty()) {
    problems.add("--token is required (\"token create\" on the control plane prints one)");
  } else {
    problems.take(karmada::parse_token(o.token));
  }
  if (o.ca_cert_hashes.empty() && !o.unsafe_skip_ca_verification) {
    problems.add(
        "--discovery-token-ca-cert-hash is required (\"token create --print-register-command\" "
        "prints it), unless you accept any CA with --discovery-token-unsafe-skip-ca-verification");
  } else if (!o.ca_cert_hashes.empty()) {
    if (auto pins = pki::PinSet::parse(o.ca_cert_hashes); !pins) {
      problems.add("--discovery-token-ca-cert-hash: {}", pins.error().message);
    }
  }
  if (!o.cluster_name.empty()) {
    problems.add_if_failed(karmada::validate_cluster_name(o.cluster_name));
  }
  check_connection_flags(o.member, problems);
  if (o.agent_replicas < 0) {
    problems.add("invalid argument \"{}\" for \"--karmada-agent-replicas\" flag: must not be "
                 "negative",
                 o.agent_replicas);
  }
  if (o.cert_expiration_seconds < k_min_cert_expiration_seconds) {
    problems.add("invalid argument \"{}\" for \"--cert-expiration-seconds\" flag: must be at "
                 "least {} (Kubernetes' minimum)",
                 o.cert_expiration_seconds,
                 k_min_cert_expiration_seconds);
  }
  if (o.discovery_timeout.count() <= 0) {
    problems.add("invalid argument \"{}\" for \"--discovery-timeout\" flag: must be positive",
                 format_duration(o.discovery_timeout));
  }
  if (o.namespace_name.empty()) {
    problems.add("-n/--namespace must not be empty (the member namespace of karmada-agent)");
  }
  return problems;
}

Status
preflight(RegisterState& s,
          const RegisterOptions& o,
          const std::string& program,
          flow::StepReporter& r) {
  const kube::Client& member = s.member->client;
  KCTL_TRY_ASSIGN(
      s.cluster_id,
      with_context(karmada::member_cluster_id(member),
                   fmt::format("cannot read the member cluster at {}", s.member->rest.server)));
  KCTL_TRY_ASSIGN(std::optional<Json> deployment,
                  with_context(member.get({"apps",
                                           "v1",
                                           "deployments",
                                           o.namespace_name,
                                           std::string(karmada::k_agent_name),
                                           ""}),
                               "cannot read the member cluster"));
  if (deployment) {
    std::string serving = karmada::agent_cluster_name(*deployment);
    if (serving != s.spec.cluster_name) {
      return failf("this member cluster already runs karmada-agent (Deployment {}/{}) for "
                   "cluster {:?}\nUnregister that one first (\"{} unregister {} "
                   "--cluster-kubeconfig <this kubeconfig>\"), or register under that name",
                   o.namespace_name,
                   karmada::k_agent_name,
                   serving,
                   program,
                   serving.empty() ? "<name>" : serving);
    }
    r.detail(fmt::format("karmada-agent for {} exists from an earlier run: converging",
                         s.spec.cluster_name));
  }
  r.detail(fmt::format("member cluster {} (id {})", s.member->rest.server, s.cluster_id));
  return {};
}

Status
discovery(RegisterState& s,
          const RegisterOptions& o,
          const std::string& program,
          flow::StepReporter& r) {
  karmada::DiscoveryRequest request;
  request.endpoint = o.endpoint;
  request.token = s.token;
  request.trust = {o.ca_cert_hashes, o.unsafe_skip_ca_verification};
  request.timeout = o.discovery_timeout;
  request.program = program;
  KCTL_TRY_ASSIGN(s.info,
                  karmada::discover(request, [&r](const std::string& text) { r.status(text); }));
  r.detail(fmt::format("cluster-info verified: signed for token id {}, CA {}",
                       s.token.id,
                       o.ca_cert_hashes.empty() ? "not pinned (unsafe skip)" : "matches the pin"));
  return {};
}

Result<std::string>
issue(const kube::Client& client,
      const RegisterOptions& o,
      const std::string& name,
      const std::string& common_name,
      const KeyFuture& key,
      flow::StepReporter& r,
      pki::KubeconfigUser& user) {
  karmada::CertificateRequestSpec csr;
  if (key.valid()) {
    KCTL_TRY_ASSIGN(csr.key, key.get());
  }
  csr.name = name;
  csr.common_name = common_name;
  csr.organization = std::string(karmada::k_agents_group);
  csr.expiration_seconds = o.cert_expiration_seconds;
  csr.timeout = o.discovery_timeout;
  csr.karmada_hint = "against the Karmada API server";
  KCTL_TRY_ASSIGN(
      karmada::IssuedCertificate issued,
      karmada::request_certificate(client, csr, [&r](const std::string& text) { r.status(text); }));
  user.client_certificate_pem = issued.certificate_pem;
  user.client_key_pem = issued.key_pem;
  return name;
}

Status
control_plane(RegisterState& s,
              const RegisterOptions& o,
              const std::string& program,
              flow::StepReporter& r) {
  KCTL_TRY_ASSIGN(kube::RestConfig bootstrap_rest,
                  karmada::bootstrap_rest_config(o.endpoint, s.info, s.token));
  KCTL_TRY_ASSIGN(kube::Client bootstrap, kube::Client::connect(bootstrap_rest));
  KCTL_TRY_ASSIGN(std::string suffix, karmada::random_suffix());
  std::string csr_name = "agent-rbac-generator-" + s.spec.cluster_name + suffix;
  pki::KubeconfigUser generator;
  KCTL_TRY(issue(bootstrap,
                 o,
                 csr_name,
                 std::string(karmada::k_rbac_generator_user),
                 s.rbac_generator_key,
                 r,
                 generator));
  kube::RestConfig rest = bootstrap_rest;
  rest.auth.token.clear();
  rest.tls.client_certificate_pem = generator.client_certificate_pem;
  rest.tls.client_key_pem = generator.client_key_pem;
  rest.origin = "rbac-generator certificate";
  KCTL_TRY_ASSIGN(kube::Client plane, kube::Client::connect(rest));
  s.karmada = plane;
  (void)plane.remove(karmada::csr_ref(csr_name)); // best effort, as upstream

  r.status("checking that the cluster name is free");
  KCTL_TRY_ASSIGN(std::vector<karmada::ClusterSummary> clusters, karmada::list_clusters(plane));
  for (const auto& cluster : clusters) {
    if (cluster.name == s.spec.cluster_name && cluster.id == s.cluster_id) {
      r.detail(fmt::format("Cluster {} is this member's, from an earlier run: converging",
                           cluster.name));
    }
  }
  if (auto conflict = karmada::registration_conflict(clusters, s.spec.cluster_name, s.cluster_id);
      conflict) {
    bool same = std::any_of(clusters.begin(), clusters.end(), [&](const auto& c) {
      return c.name == s.spec.cluster_name && c.id == s.cluster_id;
    });
    if (!same) {
      return failf("{}\nChoose another --cluster-name, or remove the other registration first "
                   "(\"{} unregister\" / \"{} unjoin\")",
                   *conflict,
                   program,
                   program);
    }
  }
  for (const Json& object : karmada::control_plane_objects(s.spec)) {
    KCTL_TRY_ASSIGN(flow::ApplyAction action, flow::ensure(plane, object));
    if (action != flow::ApplyAction::unchanged) {
      r.detail(fmt::format("{} {}", flow::to_string(action), flow::describe(object)));
    }
  }
  return {};
}

// The agent's kubeconfig in the member, when it still holds a usable certificate for this
// control plane (a re-run then sends no new CSR). A Secret that cannot be read is an error, not
// "none": a dry run would otherwise plan a new certificate nobody checked the need for.
Result<std::optional<std::string>>
reusable_agent_kubeconfig(const RegisterState& s, const RegisterOptions& o) {
  KCTL_TRY_ASSIGN(
      std::optional<Json> secret,
      with_context(s.member->client.get({"",
                                         "v1",
                                         "secrets",
                                         o.namespace_name,
                                         std::string(karmada::k_agent_kubeconfig_secret),
                                         ""}),
                   "cannot read the agent's kubeconfig Secret in the member cluster"));
  if (!secret) {
    return std::nullopt;
  }
  std::string encoded = json::string_at(
      *secret, Json::json_pointer("/data/" + std::string(karmada::k_agent_kubeconfig_secret)));
  auto text = encoding::base64_decode(encoded);
  if (!text) {
    return std::nullopt;
  }
  auto config = kube::parse_kubeconfig(*text, "karmada-kubeconfig");
  if (!config || config->clusters.size() != 1 || config->users.size() != 1) {
    return std::nullopt;
  }
  const auto& cluster = config->clusters.begin()->second;
  const auto& user = config->users.begin()->second;
  if (cluster.server != karmada::endpoint_url(o.endpoint) ||
      cluster.certificate_authority_data != s.info.ca_pem) {
    return std::nullopt;
  }
  auto cert = pki::parse_certificate_pem(user.client_certificate_data, "karmada-kubeconfig");
  auto key = pki::parse_private_key_pem(user.client_key_data, "karmada-kubeconfig");
  if (!cert || !key || !pki::matches_key(*cert, *key)) {
    return std::nullopt;
  }
  auto cas = pki::parse_certificates_pem(s.info.ca_pem, "cluster-info");
  if (!cas || !pki::verify_certificate(*cert, *cas)) {
    return std::nullopt;
  }
  pki::CertInfo info = pki::inspect(*cert);
  if (info.common_name != karmada::agent_user(s.spec.cluster_name) ||
      pki::days_until_expiry(*cert) < 7) {
    return std::nullopt;
  }
  return *text;
}

Status
credential(RegisterState& s, const RegisterOptions& o, flow::StepReporter& r) {
  KCTL_TRY_ASSIGN(std::optional<std::string> existing, reusable_agent_kubeconfig(s, o));
  if (existing) {
    s.agent_kubeconfig = *existing;
    r.detail("the agent's certificate from an earlier run is still valid: kept");
    return {};
  }
  KCTL_TRY_ASSIGN(kube::RestConfig bootstrap_rest,
                  karmada::bootstrap_rest_config(o.endpoint, s.info, s.token));
  KCTL_TRY_ASSIGN(kube::Client bootstrap, kube::Client::connect(bootstrap_rest));
  KCTL_TRY_ASSIGN(std::string suffix, karmada::random_suffix());
  pki::KubeconfigUser user;
  user.name = s.spec.cluster_name;
  KCTL_TRY(issue(bootstrap,
                 o,
                 s.spec.cluster_name + "-" + suffix,
                 karmada::agent_user(s.spec.cluster_name),
                 s.agent_key,
                 r,
                 user));
  pki::KubeconfigCluster cluster;
  cluster.name = "karmada-apiserver";
  cluster.server = karmada::endpoint_url(o.endpoint);
  cluster.certificate_authority_pem = s.info.ca_pem;
  s.agent_kubeconfig = pki::render_kubeconfig(
      pki::single_kubeconfig(cluster, user, s.spec.cluster_name + "@karmada-apiserver"));
  r.detail(fmt::format("certificate issued for {}", karmada::agent_user(s.spec.cluster_name)));
  return {};
}

Status
apply_member(RegisterState& s, flow::StepReporter& r, bool dry_run) {
  for (const Json& object : karmada::member_objects(s.spec, s.agent_kubeconfig)) {
    KCTL_TRY_ASSIGN(flow::ApplyAction action, flow::ensure(s.member->client, object));
    if (dry_run) {
      r.detail(fmt::format("would be {}: {}", flow::to_string(action), flow::describe(object)));
    } else if (action != flow::ApplyAction::unchanged) {
      r.detail(fmt::format("{} {}", flow::to_string(action), flow::describe(object)));
    }
  }
  return {};
}

bool
cluster_ready(const Json& cluster) {
  for (const auto& condition : cluster.value("/status/conditions"_json_pointer, Json::array())) {
    if (condition.value("type", "") == "Ready") {
      return condition.value("status", "") == "True";
    }
  }
  return false;
}

Status
wait_cluster(RegisterState& s, const RegisterOptions& o, flow::StepReporter& r) {
  // Watched: the agent creates the Cluster and then reports it Ready; each shows up at once.
  auto check = [](const std::optional<Json>& cluster) -> Result<std::optional<std::string>> {
    if (!cluster) {
      return std::optional<std::string>("the agent has not created it yet");
    }
    if (!cluster_ready(*cluster)) {
      return std::optional<std::string>("it is not Ready yet");
    }
    return std::optional<std::string>();
  };
  KCTL_TRY_ASSIGN(auto outcome,
                  kube::wait_for_object(*s.karmada,
                                        karmada::cluster_ref(s.spec.cluster_name),
                                        o.discovery_timeout,
                                        check,
                                        [&](const std::string& why) {
                                          r.status(fmt::format("waiting for Cluster {}: {}",
                                                               s.spec.cluster_name,
                                                               why));
                                        }));
  if (const auto* timeout = std::get_if<kube::WaitTimeout>(&outcome)) {
    return failf("Cluster {} did not become Ready within {}s ({})\nThe agent runs; look at its "
                 "log in the member cluster (Deployment {}/{}) and run register again",
                 s.spec.cluster_name,
                 std::chrono::duration_cast<std::chrono::seconds>(o.discovery_timeout).count(),
                 timeout->last_reason,
                 o.namespace_name,
                 karmada::k_agent_name);
  }
  r.detail(fmt::format("Cluster {} is Ready (syncMode {})",
                       s.spec.cluster_name,
                       std::get<Json>(outcome).value("/spec/syncMode"_json_pointer, "")));
  return {};
}

Status
print_plan(RegisterState& s, const RegisterOptions& o, flow::StepReporter& r) {
  for (const auto& line : karmada::describe_objects(karmada::control_plane_objects(s.spec))) {
    r.detail("control plane: would apply " + line);
  }
  r.detail(fmt::format("control plane: would request CertificateSigningRequests "
                       "agent-rbac-generator-{}<random> and {}-<random> with the bootstrap token",
                       s.spec.cluster_name,
                       s.spec.cluster_name));
  KCTL_TRY_ASSIGN(std::optional<std::string> existing, reusable_agent_kubeconfig(s, o));
  s.agent_kubeconfig = existing.value_or("<the agent's kubeconfig>");
  KCTL_TRY(apply_member(s, r, true));
  r.detail(fmt::format("then: wait for Deployment {}/{} and for Cluster {} to be Ready",
                       o.namespace_name,
                       karmada::k_agent_name,
                       s.spec.cluster_name));
  return {};
}

Result<ExitCode>
run_register(const RegisterOptions& o, const std::string& program) {
  auto state = std::make_shared<RegisterState>();
  RegisterState& s = *state;
  KCTL_TRY_ASSIGN(s.token, karmada::parse_token(o.token));
  std::string name = o.cluster_name;
  if (name.empty()) {
    KCTL_TRY_ASSIGN(name, default_cluster_name(o.member));
  }
  KCTL_TRY(karmada::validate_cluster_name(name));
  KCTL_TRY_ASSIGN(
      Connection member,
      connect(o.member, ClusterRole::member, o.dry_run ? kube::DryRun::yes : kube::DryRun::no));
  s.member = std::move(member);
  s.spec.cluster_name = name;
  s.spec.namespace_name = o.namespace_name;
  s.spec.cluster_namespace = o.cluster_namespace;
  s.spec.cluster_provider = o.cluster_provider;
  s.spec.cluster_region = o.cluster_region;
  s.spec.cluster_zones = o.cluster_zones;
  s.spec.enable_cert_rotation = o.enable_cert_rotation;
  s.spec.agent_image = o.agent_image;
  s.spec.agent_replicas = o.agent_replicas;
  s.spec.member_api_endpoint = s.member->rest.server;
  s.spec.proxy_server_address = o.proxy_server_address;
  if (!o.dry_run) {
    s.rbac_generator_key = generate_rbac_generator_key();
    s.agent_key = generate_agent_key();
  }

  auto step = [&](std::string id, std::string summary, auto fn) {
    return flow::Stage{{flow::Step{std::move(id), std::move(summary), std::move(fn)}}};
  };
  std::vector<flow::Stage> stages = {
      step("preflight",
           "Run pre-flight checks on the member cluster",
           [&](flow::StepReporter& r) { return preflight(s, o, program, r); }),
      step("discovery",
           "Discover the control plane through cluster-info and verify it",
           [&](flow::StepReporter& r) { return discovery(s, o, program, r); }),
  };
  if (o.dry_run) {
    stages.push_back(step("plan", "Show what register would do", [&](flow::StepReporter& r) {
      return print_plan(s, o, r);
    }));
  } else {
    stages.push_back(step("control-plane",
                          "Assign the agent's RBAC permissions in the control plane",
                          [&](flow::StepReporter& r) { return control_plane(s, o, program, r); }));
    stages.push_back(step("credential", "Get the agent's certificate", [&](flow::StepReporter& r) {
      return credential(s, o, r);
    }));
    stages.push_back(step("member",
                          "Create the agent's objects in the member cluster",
                          [&](flow::StepReporter& r) { return apply_member(s, r, false); }));
    stages.push_back(step("agent", "Wait for karmada-agent", [&](flow::StepReporter& r) {
      return flow::wait_ready(
          s.member->client, karmada::agent_deployment(s.spec), o.discovery_timeout, r);
    }));
    stages.push_back(step("cluster",
                          "Wait for the Cluster to be registered and Ready",
                          [&](flow::StepReporter& r) { return wait_cluster(s, o, r); }));
  }
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(flow::run(stages,
                     progress,
                     "fix the cause and run the same register command again: it converges (what "
                     "exists is checked and kept)"));
  if (o.dry_run) {
    fmt::print("Dry run: nothing was changed; the checks passed.\n");
    return ExitCode::ok;
  }
  fmt::print("\ncluster({}) is joined successfully\n", s.spec.cluster_name);
  return ExitCode::ok;
}

} // namespace

void
setup_register(CLI::App& app, Invocation& invocation) {
  auto o = std::make_shared<RegisterOptions>();
  CLI::App* command = &app;
  set_kubectl_help(
      *command,
      "",
      with_program(
          "  # On the control plane: create a token and print the command\n"
          "  {program} token create --print-register-command "
          "--kubeconfig=<karmada-apiserver.config>\n\n"
          "  # On the member cluster: run the printed command\n"
          "  {program} register 192.168.0.10:32443 --token abcdef.0123456789abcdef "
          "--discovery-token-ca-cert-hash sha256:<hex> --kubeconfig=$HOME/.kube/member-config\n\n"
          "  # Check everything (discovery, token, CA) and show the plan, changing nothing\n"
          "  {program} register 192.168.0.10:32443 --token ... --discovery-token-ca-cert-hash ... "
          "--dry-run",
          invocation.program));
  command->add_option("endpoint", o->endpoint, "The Karmada API server's endpoint, <host>:<port>")
      ->type_name("ENDPOINT");
  bind_connection_flags(*command, o->member, ClusterRole::member);
  command->add_option("-n,--namespace", o->namespace_name, "Member namespace of karmada-agent")
      ->capture_default_str();
  command->add_option("--cluster-name",
                      o->cluster_name,
                      "Name of the member cluster in Karmada (default: the kubeconfig's current "
                      "cluster name)");
  command
      ->add_option("--cluster-namespace",
                   o->cluster_namespace,
                   "Namespace in the control plane where the cluster's secrets are stored")
      ->capture_default_str();
  command->add_option("--cluster-provider", o->cluster_provider, "Provider of the cluster");
  command->add_option("--cluster-region", o->cluster_region, "Region of the cluster");
  command->add_option("--cluster-zones", o->cluster_zones, "Zones of the cluster")->delimiter(',');
  command->add_flag("--enable-cert-rotation",
                    o->enable_cert_rotation,
                    "Let karmada-agent renew its certificate (certRotation controller)");
  command->add_option("--token", o->token, "Bootstrap token for the control plane (id.secret)");
  command
      ->add_option("--discovery-token-ca-cert-hash",
                   o->ca_cert_hashes,
                   "Hash of the control plane's CA, sha256:<hex> (repeat or comma-separate for "
                   "several)")
      ->delimiter(',');
  command->add_flag("--discovery-token-unsafe-skip-ca-verification",
                    o->unsafe_skip_ca_verification,
                    "Trust any CA the endpoint presents (no --discovery-token-ca-cert-hash)");
  add_duration_flag(*command,
                    "--discovery-timeout",
                    o->discovery_timeout,
                    "How long to wait for discovery, each certificate and the agent");
  command->add_option("--karmada-agent-image", o->agent_image, "Image of karmada-agent")
      ->capture_default_str();
  command->add_option("--karmada-agent-replicas", o->agent_replicas, "Replicas of karmada-agent")
      ->capture_default_str();
  command
      ->add_option("--cert-expiration-seconds",
                   o->cert_expiration_seconds,
                   "Validity of the agent's certificate, in seconds")
      ->capture_default_str();
  command->add_flag(
      "--dry-run", o->dry_run, "Run discovery and every check, print the plan and change nothing");
  command->add_option("--proxy-server-address",
                      o->proxy_server_address,
                      "Proxy through which the control plane reaches the member cluster");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o] {
    invocation.validate = [o] { return check_register(*o); };
    invocation.action = [o, program = invocation.program] {
      return finish_dry_run(run_register(*o, program), o->dry_run, "register");
    };
  });
}

} // namespace kctl::cli
