#include "commands/register.hpp"

#include "commands/checks.hpp"
#include "commands/connection.hpp"
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"
#include "commands/kubectl_help.hpp"
#include "flow/steps.hpp"
#include "karmada/bootstrap_token.hpp"
#include "karmada/clusters.hpp"
#include "karmada/endpoint.hpp"
#include "karmada/namespaces.hpp"
#include "karmada/register_plan.hpp"
#include "kube/kubeconfig.hpp"
#include "pki/pin.hpp"
#include "register/flow.hpp"
#include "util/build_info.hpp"
#include "util/duration.hpp"

#include <fmt/format.h>

#include <memory>

namespace kctl::cli {

namespace {

// Kubernetes refuses CertificateSigningRequests with a shorter expirationSeconds.
constexpr std::int64_t k_min_cert_expiration_seconds = 600;

struct RegisterOptions {
  std::string endpoint;
  ConnectionFlags member;
  std::string namespace_name = std::string(karmada::k_karmada_system);
  std::string cluster_name;
  std::string cluster_namespace = std::string(karmada::k_karmada_cluster);
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
  DryRunFlag dry_run;
  std::string proxy_server_address;
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

// The objects' spec from the flags, for `cluster_name` on the member at `member_server`.
karmada::RegisterSpec
register_spec(const RegisterOptions& o, std::string cluster_name, std::string member_server) {
  karmada::RegisterSpec spec;
  spec.cluster_name = std::move(cluster_name);
  spec.namespace_name = o.namespace_name;
  spec.cluster_namespace = o.cluster_namespace;
  spec.cluster_provider = o.cluster_provider;
  spec.cluster_region = o.cluster_region;
  spec.cluster_zones = o.cluster_zones;
  spec.enable_cert_rotation = o.enable_cert_rotation;
  spec.agent_image = o.agent_image;
  spec.agent_replicas = o.agent_replicas;
  spec.member_api_endpoint = std::move(member_server);
  spec.proxy_server_address = o.proxy_server_address;
  return spec;
}

Result<registration::RegisterSettings>
register_settings(const RegisterOptions& o, const std::string& program) {
  registration::RegisterSettings settings;
  settings.endpoint = o.endpoint;
  KCTL_TRY_ASSIGN(settings.token, karmada::parse_token(o.token));
  settings.trust = {o.ca_cert_hashes, o.unsafe_skip_ca_verification};
  settings.timeout = o.discovery_timeout;
  settings.cert_expiration_seconds = o.cert_expiration_seconds;
  settings.program = program;
  return settings;
}

Result<ExitCode>
run_register(const RegisterOptions& o, const std::string& program) {
  KCTL_TRY_ASSIGN(registration::RegisterSettings settings, register_settings(o, program));
  std::string name = o.cluster_name;
  if (name.empty()) {
    KCTL_TRY_ASSIGN(name, default_cluster_name(o.member));
  }
  KCTL_TRY(karmada::validate_cluster_name(name));
  KCTL_TRY_ASSIGN(Connection member, connect(o.member, ClusterRole::member, o.dry_run.mode()));
  registration::RegisterRun run(
      register_spec(o, name, member.rest.server), std::move(settings), member.client);
  run.member_server = member.rest.server;
  if (!o.dry_run.requested()) {
    run.rbac_generator_key = registration::generate_rbac_generator_key();
    run.agent_key = registration::generate_agent_key();
  }
  flow::Progress progress(stderr, flow::live_output_for(stderr));
  KCTL_TRY(flow::run(registration::register_stages(run),
                     progress,
                     "fix the cause and run the same register command again: it converges (what "
                     "exists is checked and kept)"));
  if (o.dry_run.requested()) {
    fmt::print("Dry run: nothing was changed; the checks passed.\n");
    return ExitCode::ok;
  }
  fmt::print("\ncluster({}) is joined successfully\n", name);
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
  bind_dry_run(*command, o->dry_run, DryRunStyle::boolean);
  command->add_option("--proxy-server-address",
                      o->proxy_server_address,
                      "Proxy through which the control plane reaches the member cluster");
  defer_value_errors(*command, invocation.value_problems);
  command->callback([&invocation, o] {
    invocation.validate = [o] { return check_register(*o); };
    invocation.action = [o, program = invocation.program] {
      return finish_dry_run(run_register(*o, program), o->dry_run.requested(), "register");
    };
  });
}

} // namespace kctl::cli
