// Push-mode join as data: the objects `join` makes in the member cluster and in Karmada, built as
// JSON by pure functions from a JoinSpec (the same object set as upstream's join), and the
// decisions join makes about what is registered. join's flow (src/join) applies the objects
// through flow::Applier in order, so a re-run converges.
#pragma once

#include "karmada/clusters.hpp"
#include "karmada/namespaces.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

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

// What the registered `clusters` mean for joining `spec` (its cluster_id known): true when this
// member is already joined under this name in Push mode (a re-run converges), false when the name
// and the member are free, an error naming what is in the way otherwise (the same member under
// another name, another member under this name, this member registered in Pull mode).
Result<bool> already_joined(const std::vector<ClusterSummary>& clusters, const JoinSpec& spec);

// "karmada-<cluster>": the member ServiceAccount Karmada's controllers act as.
std::string member_service_account(const JoinSpec& spec);
// "karmada-controller-manager:karmada-<cluster>": the member ClusterRole and its binding.
std::string member_cluster_role(const JoinSpec& spec);

// Member objects, in apply order: Namespace, ServiceAccount karmada-impersonator, its token
// Secret, ServiceAccount karmada-<c>, ClusterRole, ClusterRoleBinding, its token Secret.
std::vector<Json> member_objects(const JoinSpec& spec);

// What unjoin deletes in the member, in order (a subset of `member_objects`): the
// ClusterRoleBinding, the ClusterRole, ServiceAccount karmada-<c> and the Namespace, which takes
// the rest with it.
std::vector<Json> member_objects_to_remove(const JoinSpec& spec);

// The token Secrets in `member_objects` whose data.token the member's token controller fills:
// {namespace, name} of karmada-impersonator and karmada-<c>.
std::vector<std::pair<std::string, std::string>> member_token_secrets(const JoinSpec& spec);

// What join reads back from the member: the tokens and the member's CA (raw bytes, not base64).
struct MemberCredentials {
  std::string token;
  std::string ca_crt;
  std::string impersonator_token;
};

// The Secrets join stores in Karmada, in the cluster namespace: <c> and <c>-impersonator. The
// Cluster owns them; unjoin deletes them.
std::vector<std::string> credential_secret_names(const JoinSpec& spec);

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
