// What `register` (Pull mode) creates, as pure functions building JSON objects: the agent's RBAC
// in the Karmada control plane, the CSRs, the agent's kubeconfig, and the member-side objects with
// the karmada-agent Deployment. Same kinds, namespaces and names as upstream's register; also the
// lists `unregister` removes.
#pragma once

#include "karmada/clusters.hpp"
#include "karmada/namespaces.hpp"
#include "kube/resource.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::karmada {

inline constexpr std::string_view k_agent_name = "karmada-agent";
inline constexpr std::string_view k_agent_service_account = "karmada-agent-sa";
inline constexpr std::string_view k_agent_kubeconfig_secret = "karmada-kubeconfig";
inline constexpr std::string_view k_agent_signer = "kubernetes.io/kube-apiserver-client";
inline constexpr std::string_view k_agents_group = "system:karmada:agents";
inline constexpr std::string_view k_rbac_generator_user = "system:karmada:agent:rbac-generator";

// Everything register's objects depend on.
struct RegisterSpec {
  std::string cluster_name;
  std::string namespace_name = std::string(k_karmada_system); // member namespace of the agent
  std::string cluster_namespace =
      std::string(k_karmada_cluster); // where the agent reports its secrets
  std::string cluster_provider;
  std::string cluster_region;
  std::vector<std::string> cluster_zones;
  bool enable_cert_rotation = false;
  std::string agent_image;
  std::int32_t agent_replicas = 1;
  std::string member_api_endpoint; // the member's API server as the agent reports it
  std::string proxy_server_address;
};

// The user name of the agent of `cluster`: "system:karmada:agent:<cluster>".
std::string agent_user(std::string_view cluster);

// The agent's RBAC in the Karmada control plane: ClusterRole and ClusterRoleBinding
// system:karmada:<c>:agent, Namespaces <cluster-namespace> and karmada-es-<c>, Role and
// RoleBinding system:karmada:<c>:agent-secret (cluster namespace) and system:karmada:<c>:agent-work
// (karmada-es-<c>).
std::vector<Json> control_plane_objects(const RegisterSpec& spec);

// The refs of the control-plane RBAC objects that unregister removes (not the namespaces).
std::vector<kube::ResourceRef> control_plane_rbac_refs(std::string_view cluster,
                                                       std::string_view cluster_namespace);

// The Lease karmada-agent-<cluster> the agent holds for leader election in the control plane, in
// `agent_namespace` (its --leader-elect-resource-namespace). Left behind, it makes the next
// agent for that cluster wait for it to expire (about 16 s) before it reports the Cluster Ready.
kube::ResourceRef agent_lease_ref(std::string_view agent_namespace, std::string_view cluster);

// A CertificateSigningRequest for a Karmada API server client certificate.
Json certificate_signing_request(std::string_view name,
                                 std::string_view request_pem,
                                 std::int64_t expiration_seconds);

// The member-side objects, in apply order: Namespace, Secret karmada-kubeconfig (holding
// `agent_kubeconfig`), ClusterRole karmada-agent, ServiceAccount karmada-agent-sa,
// ClusterRoleBinding karmada-agent, Deployment karmada-agent.
std::vector<Json> member_objects(const RegisterSpec& spec, std::string_view agent_kubeconfig);

// The karmada-agent Deployment. Its listeners bind to the pod IP (env POD_IP from the downward
// API), not 0.0.0.0.
Json agent_deployment(const RegisterSpec& spec);

// The cluster name a karmada-agent Deployment serves (its --cluster-name), or "".
std::string agent_cluster_name(const Json& deployment);

// The refs unregister removes from the member, besides what the agent created.
std::vector<kube::ResourceRef> member_refs(std::string_view namespace_name,
                                           std::string_view cluster,
                                           std::string_view cluster_namespace);

// "Kind namespace/name" of each object, for plans.
std::vector<std::string> describe_objects(const std::vector<Json>& objects);

// ---- decisions of a register run --------------------------------------------------------------

// What the agent's kubeconfig from an earlier run must hold to be used again.
struct AgentKubeconfigWant {
  std::string server;       // the Karmada API server's URL (endpoint_url of the endpoint)
  std::string ca_pem;       // the CA bundle cluster-info was verified with
  std::string cluster_name; // whose agent it is: the certificate's CN is agent_user() of it
  // A certificate that expires sooner is replaced now rather than let the agent lose access.
  long min_days_left = 7;
};

// The kubeconfig in the agent's Secret `secret` (karmada-kubeconfig, as read from the member)
// when it can be used again: one cluster and one user, this server and CA, a certificate of this
// cluster's agent that chains to the CA, matches its key and is not about to expire. A re-run
// then sends no new CSR. nullopt for anything else (no Secret, another control plane, ...).
std::optional<std::string> reusable_agent_kubeconfig(const std::optional<Json>& secret,
                                                     const AgentKubeconfigWant& want);

// Whether a Cluster's Ready condition is True.
bool cluster_ready(const Json& cluster);

// What a register run still waits for in the Cluster the agent creates: nullopt once it exists
// and is Ready.
std::optional<std::string> cluster_pending_reason(const std::optional<Json>& cluster);

// Whether `clusters` holds `name` for the member with `cluster_id`: an earlier run of the same
// registration, which a re-run converges instead of refusing.
bool registered_as_this_member(const std::vector<ClusterSummary>& clusters,
                               std::string_view name,
                               std::string_view cluster_id);

} // namespace kctl::karmada
