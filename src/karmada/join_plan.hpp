// Push-mode join as data: the objects `join` makes in the member cluster and in Karmada, built as
// JSON by pure functions from a JoinSpec (the same object set as upstream's join). The command
// applies them with flow::ensure in order, so a re-run converges.
#pragma once

#include "karmada/namespaces.hpp"
#include "util/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::karmada {

inline constexpr std::string_view k_default_cluster_namespace = k_karmada_cluster;
inline constexpr std::string_view k_impersonator_name = "karmada-impersonator";

struct JoinSpec {
  std::string cluster_name;
  std::string cluster_namespace = std::string(k_default_cluster_namespace);
  std::string cluster_id;   // UID of the member's kube-system namespace
  std::string api_endpoint; // the member's server URL as the kubeconfig gives it
  std::string provider;
  std::string region;
  std::vector<std::string> zones;
  bool insecure_skip_tls_verification = false;
  std::string proxy_url;
};

// "karmada-<cluster>": the member ServiceAccount Karmada's controllers act as.
std::string member_service_account(const JoinSpec& spec);
// "karmada-controller-manager:karmada-<cluster>": the member ClusterRole and its binding.
std::string member_cluster_role(const JoinSpec& spec);

// Member objects, in apply order: Namespace, ServiceAccount karmada-impersonator, its token
// Secret, ServiceAccount karmada-<c>, ClusterRole, ClusterRoleBinding, its token Secret.
std::vector<Json> member_objects(const JoinSpec& spec);

// The token Secrets in `member_objects` whose data.token the member's token controller fills:
// {namespace, name} of karmada-impersonator and karmada-<c>.
std::vector<std::pair<std::string, std::string>> member_token_secrets(const JoinSpec& spec);

// What join reads back from the member: the tokens and the member's CA (raw bytes, not base64).
struct MemberCredentials {
  std::string token;
  std::string ca_crt;
  std::string impersonator_token;
};

// Karmada objects before the Cluster: Namespace <cluster-namespace>, Secret <c> {caBundle,
// token}, Secret <c>-impersonator {token}; labelled karmada.io/system=true.
std::vector<Json> karmada_secret_objects(const JoinSpec& spec,
                                         const MemberCredentials& credentials);

// The Cluster object (syncMode Push, apiEndpoint, id, secretRef, impersonatorSecretRef and the
// optional provider, region, zones, insecureSkipTLSVerification, proxyURL).
Json cluster_object(const JoinSpec& spec);

// The merge patch giving a Secret a controller ownerReference to the Cluster, so that deleting the
// Cluster garbage-collects it.
Json owner_reference_patch(const std::string& cluster_name, const std::string& cluster_uid);

// Whether `secret` already carries the ownerReference `owner_reference_patch` would add.
bool has_owner_reference(const Json& secret, const std::string& cluster_uid);

} // namespace kctl::karmada
