// The objects `init` creates inside the Karmada API server: the aggregated API, the webhook
// configurations, the bootstrap RBAC and cluster-info. Pure functions of the spec and the CA.
#pragma once

#include "manifests/init_spec.hpp"
#include "util/json.hpp"

#include <string>
#include <vector>

namespace kctl::manifests {

inline constexpr const char* k_cluster_apiservice_name = "v1alpha1.cluster.karmada.io";
inline constexpr const char* k_bootstrap_token_group =
    "system:bootstrappers:karmada:default-cluster-token";

Json karmada_namespace(const InitSpec& spec);

// ExternalName Service in the Karmada API server that routes the aggregated API to the host
// Service.
Json aggregated_apiserver_external_service(const InitSpec& spec);

// APIService v1alpha1.cluster.karmada.io, trusting `ca_pem`.
Json cluster_apiservice(const InitSpec& spec, const std::string& ca_pem);

// Webhook configurations calling karmada-webhook, trusting `ca_pem`.
Json mutating_webhook_configuration(const InitSpec& spec, const std::string& ca_pem);
Json validating_webhook_configuration(const InitSpec& spec, const std::string& ca_pem);

// ClusterRoles, bindings, Role and RoleBinding for views, proxy access and agent bootstrap.
std::vector<Json> bootstrap_rbac();

// kube-public/cluster-info: a kubeconfig with one unnamed cluster at `server`, trusting `ca_pem`;
// `karmadactl register` reads it anonymously and checks its JWS signature.
Json cluster_info_configmap(const std::string& server, const std::string& ca_pem);

} // namespace kctl::manifests
