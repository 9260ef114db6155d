// `register` (Pull mode) as a list of steps: discover the control plane with a bootstrap token,
// give the agent its RBAC there (as the rbac-generator, through a CSR), get the agent's certificate
// (or keep the one an earlier run issued), create the agent in the member cluster and wait until
// its Cluster is Ready. Every object goes through a flow::Applier; the member client says whether
// it is a dry run, and a dry run has its own last step ("plan") since without a certificate the
// control plane cannot be read. The objects and decisions are karmada/register_plan's pure
// functions; discovery, certificates and the Cluster wait are seams a test replaces.
#pragma once

#include "flow/apply.hpp"
#include "flow/steps.hpp"
#include "flow/wait.hpp"
#include "karmada/agent_csr.hpp"
#include "karmada/bootstrap_token.hpp"
#include "karmada/discovery.hpp"
#include "karmada/register_plan.hpp"
#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "kube/wait_for.hpp"
#include "pki/key.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kctl::registration {

using KeyFuture = std::shared_future<Result<pki::PrivateKey>>;
using StatusLine = std::function<void(const std::string&)>;

// The flags of register besides the objects' spec.
struct RegisterSettings {
  std::string endpoint; // host:port of the Karmada API server
  karmada::BootstrapToken token;
  karmada::TrustOptions trust;
  // For discovery, each certificate, the agent and the Cluster.
  std::chrono::nanoseconds timeout = std::chrono::minutes(5);
  std::int64_t cert_expiration_seconds = 31536000;
  std::string program = "karmadactl"; // for advice ("karmadactl unregister")
};

// The ways register reaches beyond the member client, replaceable by tests.
struct RegisterSeams {
  std::function<Result<karmada::ClusterInfo>(const karmada::DiscoveryRequest&, const StatusLine&)>
      discover;
  // A client for the Karmada API server (with the bootstrap token, then as the rbac-generator).
  std::function<Result<kube::Client>(const kube::RestConfig&)> connect;
  std::function<Result<karmada::IssuedCertificate>(
      const kube::Client&, const karmada::CertificateRequestSpec&, const StatusLine&)>
      request_certificate;
  // Watches Cluster `name` on the Karmada client until it is Ready (or the time is up).
  std::function<Result<std::variant<Json, kube::WaitTimeout>>(const kube::Client&,
                                                              const std::string& name,
                                                              std::chrono::nanoseconds timeout,
                                                              const StatusLine&)>
      wait_cluster;
};

// The real ones: discovery over HTTPS, libcurl clients, CSRs and a watch.
RegisterSeams real_seams();

struct RegisterRun {
  karmada::RegisterSpec spec;
  RegisterSettings settings;
  kube::Client member;
  std::string member_server; // the member's API server, for messages
  RegisterSeams seams = real_seams();
  // Every object the flow applied or would apply, by step.
  flow::Record plan;
  flow::Applier member_applier;
  flow::Waiter agent_waiter;
  // The keys of the two certificate requests, generated in the background from the start so
  // that neither request waits for its key. Not valid: request_certificate makes one.
  KeyFuture rbac_generator_key;
  KeyFuture agent_key;

  // Filled in by the steps.
  std::string cluster_id;
  karmada::ClusterInfo info;
  std::optional<kube::Client> karmada; // as the rbac-generator, for this run only
  std::string agent_kubeconfig;

  RegisterRun(karmada::RegisterSpec register_spec,
              RegisterSettings register_settings,
              kube::Client member_client);
};

// RSA 2048 for the agent's certificate, as upstream's; about 0.7 s on one core, so started at
// once in the background.
KeyFuture generate_agent_key();
// ECDSA P-256 for the rbac-generator's certificate, which is never stored: a millisecond.
KeyFuture generate_rbac_generator_key();

// The stages of `register`, in order: preflight, discovery, then control-plane, credential,
// member, agent and cluster; or, when the member client is a dry run, plan.
std::vector<flow::Stage> register_stages(RegisterRun& run);

} // namespace kctl::registration
