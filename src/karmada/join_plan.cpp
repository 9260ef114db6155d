#include "karmada/join_plan.hpp"

#include "karmada/clusters.hpp"
#include "util/encoding.hpp"

#include <fmt/format.h>

namespace kctl::karmada {

namespace {

Json
system_labels() {
  return {{std::string(k_system_label), "true"}};
}

Json
metadata(const std::string& name, const std::string& ns = {}) {
  Json meta = {{"name", name}};
  if (!ns.empty()) {
    meta["namespace"] = ns;
  }
  return meta;
}

// Labelled karmada.io/system=true, as upstream labels what join makes (the token Secrets are not).
Json
system_metadata(const std::string& name, const std::string& ns = {}) {
  Json meta = metadata(name, ns);
  meta["labels"] = system_labels();
  return meta;
}

Json
service_account(const std::string& name, const std::string& ns) {
  return {
      {"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", system_metadata(name, ns)}};
}

// A Secret the token controller fills with the ServiceAccount's token and the cluster CA (since
// Kubernetes 1.24 none is made automatically).
Json
service_account_token_secret(const std::string& service_account_name, const std::string& ns) {
  Json meta = metadata(service_account_name, ns);
  meta["annotations"] = {{"kubernetes.io/service-account.name", service_account_name}};
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", meta},
          {"type", "kubernetes.io/service-account-token"}};
}

Json
opaque_secret(const std::string& name, const std::string& ns, Json data) {
  Json meta = metadata(name, ns);
  meta["labels"] = system_labels();
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", meta},
          {"type", "Opaque"},
          {"data", std::move(data)}};
}

Json
namespace_object(const std::string& name) {
  Json meta = metadata(name);
  meta["labels"] = system_labels();
  return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", meta}};
}

} // namespace

Result<bool>
already_joined(const std::vector<ClusterSummary>& clusters, const JoinSpec& spec) {
  bool joined = false;
  std::vector<ClusterSummary> others;
  for (const auto& cluster : clusters) {
    if (cluster.name != spec.cluster_name || cluster.id != spec.cluster_id) {
      others.push_back(cluster);
      continue;
    }
    if (cluster.sync_mode == "Pull") {
      return failf("cluster {} is already registered in Pull mode (by karmada-agent); "
                   "unregister it before joining it in Push mode",
                   cluster.name);
    }
    joined = true;
  }
  if (auto conflict = registration_conflict(others, spec.cluster_name, spec.cluster_id)) {
    return failf("cannot join cluster {}: {}; nothing was changed", spec.cluster_name, *conflict);
  }
  return joined;
}

std::string
member_service_account(const JoinSpec& spec) {
  return "karmada-" + spec.cluster_name;
}

std::string
member_cluster_role(const JoinSpec& spec) {
  return "karmada-controller-manager:" + member_service_account(spec);
}

std::vector<Json>
member_objects(const JoinSpec& spec) {
  const std::string& ns = spec.cluster_namespace;
  const std::string sa = member_service_account(spec);
  const std::string role = member_cluster_role(spec);
  Json cluster_role = {{"apiVersion", "rbac.authorization.k8s.io/v1"},
                       {"kind", "ClusterRole"},
                       {"metadata", system_metadata(role)},
                       {"rules",
                        Json::array({{{"apiGroups", {"*"}}, {"resources", {"*"}}, {"verbs", {"*"}}},
                                     {{"nonResourceURLs", {"*"}}, {"verbs", {"get"}}}})}};
  Json binding = {
      {"apiVersion", "rbac.authorization.k8s.io/v1"},
      {"kind", "ClusterRoleBinding"},
      {"metadata", system_metadata(role)},
      {"roleRef",
       {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", role}}},
      {"subjects", Json::array({{{"kind", "ServiceAccount"}, {"name", sa}, {"namespace", ns}}})}};
  return {namespace_object(ns),
          service_account(std::string(k_impersonator_name), ns),
          service_account_token_secret(std::string(k_impersonator_name), ns),
          service_account(sa, ns),
          cluster_role,
          binding,
          service_account_token_secret(sa, ns)};
}

std::vector<Json>
member_objects_to_remove(const JoinSpec& spec) {
  std::vector<Json> objects = member_objects(spec);
  // Indexes into member_objects' order: the binding before the role it names, the namespace last.
  return {objects.at(5), objects.at(4), objects.at(3), objects.at(0)};
}

std::vector<std::pair<std::string, std::string>>
member_token_secrets(const JoinSpec& spec) {
  return {{spec.cluster_namespace, std::string(k_impersonator_name)},
          {spec.cluster_namespace, member_service_account(spec)}};
}

std::vector<std::string>
credential_secret_names(const JoinSpec& spec) {
  return {spec.cluster_name, spec.cluster_name + "-impersonator"};
}

std::vector<Json>
karmada_secret_objects(const JoinSpec& spec, const MemberCredentials& credentials) {
  const std::string& ns = spec.cluster_namespace;
  return {namespace_object(ns),
          opaque_secret(credential_secret_names(spec)[0],
                        ns,
                        {{"caBundle", encoding::base64_encode(credentials.ca_crt)},
                         {"token", encoding::base64_encode(credentials.token)}}),
          opaque_secret(credential_secret_names(spec)[1],
                        ns,
                        {{"token", encoding::base64_encode(credentials.impersonator_token)}})};
}

Json
cluster_object(const JoinSpec& spec) {
  Json cluster_spec = Json::object();
  cluster_spec["id"] = spec.cluster_id;
  cluster_spec["syncMode"] = "Push";
  cluster_spec["apiEndpoint"] = spec.api_endpoint;
  cluster_spec["secretRef"] = {{"namespace", spec.cluster_namespace}, {"name", spec.cluster_name}};
  cluster_spec["impersonatorSecretRef"] = {{"namespace", spec.cluster_namespace},
                                           {"name", spec.cluster_name + "-impersonator"}};
  if (spec.insecure_skip_tls_verification) {
    cluster_spec["insecureSkipTLSVerification"] = true;
  }
  if (!spec.proxy_url.empty()) {
    cluster_spec["proxyURL"] = spec.proxy_url;
  }
  if (!spec.provider.empty()) {
    cluster_spec["provider"] = spec.provider;
  }
  if (!spec.region.empty()) {
    cluster_spec["region"] = spec.region;
  }
  if (!spec.zones.empty()) {
    cluster_spec["zones"] = spec.zones;
  }
  return {{"apiVersion", "cluster.karmada.io/v1alpha1"},
          {"kind", "Cluster"},
          {"metadata", metadata(spec.cluster_name)},
          {"spec", cluster_spec}};
}

Json
owner_reference_patch(const std::string& cluster_name, const std::string& cluster_uid) {
  return {{"metadata",
           {{"ownerReferences",
             Json::array({{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                           {"kind", "Cluster"},
                           {"name", cluster_name},
                           {"uid", cluster_uid},
                           {"controller", true},
                           {"blockOwnerDeletion", true}}})}}}};
}

bool
has_owner_reference(const Json& secret, const std::string& cluster_uid) {
  for (const auto& reference :
       secret.value("/metadata/ownerReferences"_json_pointer, Json::array())) {
    if (reference.value("uid", "") == cluster_uid && reference.value("kind", "") == "Cluster") {
      return true;
    }
  }
  return false;
}

} // namespace kctl::karmada
