#include "manifests/control_plane.hpp"

#include "manifests/host.hpp"
#include "manifests/meta.hpp"
#include "util/encoding.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

namespace kctl::manifests {

namespace {

// One webhook of a webhook configuration, as data.
struct WebhookRule {
  const char* name;
  const char* group;
  const char* version;
  const char* resource;
  const char* scope;
  const char* path;
  std::vector<const char*> operations = {"CREATE", "UPDATE"};
  int timeout_seconds = 3;
  const char* side_effects = "None";
};

const std::vector<WebhookRule>&
mutating_rules() {
  static const std::vector<WebhookRule> rules = {
      {"propagationpolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "propagationpolicies",
       "Namespaced",
       "/mutate-propagationpolicy"},
      {"clusterpropagationpolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "clusterpropagationpolicies",
       "Cluster",
       "/mutate-clusterpropagationpolicy"},
      {"overridepolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "overridepolicies",
       "Namespaced",
       "/mutate-overridepolicy"},
      {"resourcebinding.karmada.io",
       "work.karmada.io",
       "*",
       "resourcebindings",
       "Namespaced",
       "/mutate-resourcebinding",
       {"CREATE"}},
      {"clusterresourcebinding.karmada.io",
       "work.karmada.io",
       "*",
       "clusterresourcebindings",
       "Cluster",
       "/mutate-clusterresourcebinding",
       {"CREATE"}},
      {"work.karmada.io", "work.karmada.io", "*", "works", "Namespaced", "/mutate-work"},
      {"autoscaling.karmada.io",
       "autoscaling.karmada.io",
       "*",
       "federatedhpas",
       "Namespaced",
       "/mutate-federatedhpa"},
      {"multiclusterservice.karmada.io",
       "networking.karmada.io",
       "*",
       "multiclusterservices",
       "Namespaced",
       "/mutate-multiclusterservice"},
  };
  return rules;
}

const std::vector<WebhookRule>&
validating_rules() {
  static const std::vector<WebhookRule> rules = {
      {"propagationpolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "propagationpolicies",
       "Namespaced",
       "/validate-propagationpolicy"},
      {"clusterpropagationpolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "clusterpropagationpolicies",
       "Cluster",
       "/validate-clusterpropagationpolicy"},
      {"overridepolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "overridepolicies",
       "Namespaced",
       "/validate-overridepolicy"},
      {"clusteroverridepolicy.karmada.io",
       "policy.karmada.io",
       "*",
       "clusteroverridepolicies",
       "Cluster",
       "/validate-clusteroverridepolicy"},
      {"config.karmada.io",
       "config.karmada.io",
       "*",
       "resourceinterpreterwebhookconfigurations",
       "Cluster",
       "/validate-resourceinterpreterwebhookconfiguration"},
      {"resourceinterpretercustomization.karmada.io",
       "config.karmada.io",
       "*",
       "resourceinterpretercustomizations",
       "Cluster",
       "/validate-resourceinterpretercustomization",
       {"CREATE", "UPDATE"},
       10},
      {"federatedresourcequota.karmada.io",
       "policy.karmada.io",
       "*",
       "federatedresourcequotas",
       "Namespaced",
       "/validate-federatedresourcequota"},
      {"multiclusteringress.karmada.io",
       "networking.karmada.io",
       "*",
       "multiclusteringresses",
       "Namespaced",
       "/validate-multiclusteringress"},
      {"federatedhpa.karmada.io",
       "autoscaling.karmada.io",
       "*",
       "federatedhpas",
       "Namespaced",
       "/validate-federatedhpa"},
      {"cronfederatedhpa.karmada.io",
       "autoscaling.karmada.io",
       "*",
       "cronfederatedhpas",
       "Namespaced",
       "/validate-cronfederatedhpa"},
      {"multiclusterservice.karmada.io",
       "networking.karmada.io",
       "*",
       "multiclusterservices",
       "Namespaced",
       "/validate-multiclusterservice"},
      {"resourcebinding.karmada.io",
       "work.karmada.io",
       "*",
       "resourcebindings",
       "Namespaced",
       "/validate-resourcebinding",
       {"CREATE", "UPDATE"},
       3,
       "NoneOnDryRun"},
  };
  return rules;
}

Json
webhook(const InitSpec& spec, const WebhookRule& rule, const std::string& ca_bundle) {
  Json operations = Json::array();
  for (const char* op : rule.operations) {
    operations.push_back(op);
  }
  return Json{
      {"name", rule.name},
      {"rules",
       Json::array({{{"operations", operations},
                     {"apiGroups", Json::array({rule.group})},
                     {"apiVersions", Json::array({rule.version})},
                     {"resources", Json::array({rule.resource})},
                     {"scope", rule.scope}}})},
      {"clientConfig",
       {{"url",
         fmt::format("https://{}.{}.svc:443{}", k_webhook_name, spec.namespace_name, rule.path)},
        {"caBundle", ca_bundle}}},
      {"failurePolicy", "Fail"},
      {"sideEffects", rule.side_effects},
      {"admissionReviewVersions", Json::array({"v1"})},
      {"timeoutSeconds", rule.timeout_seconds},
  };
}

// Protects resource templates labelled for deletion protection from being deleted.
Json
deletion_protection_webhook(const InitSpec& spec, const std::string& ca_bundle) {
  return Json{
      {"name", "resourcedeletionprotection.karmada.io"},
      {"rules",
       Json::array({{{"operations", Json::array({"DELETE"})},
                     {"apiGroups", Json::array({"*"})},
                     {"apiVersions", Json::array({"*"})},
                     {"resources", Json::array({"*"})},
                     {"scope", "*"}}})},
      {"clientConfig",
       {{"url",
         fmt::format("https://{}.{}.svc:443/validate-resourcedeletionprotection",
                     k_webhook_name,
                     spec.namespace_name)},
        {"caBundle", ca_bundle}}},
      {"objectSelector",
       {{"matchExpressions",
         Json::array({{{"key", "resourcetemplate.karmada.io/deletion-protected"},
                       {"operator", "Exists"}}})}}},
      {"failurePolicy", "Fail"},
      {"sideEffects", "None"},
      {"admissionReviewVersions", Json::array({"v1"})},
      {"timeoutSeconds", 3},
  };
}

Json
rbac_labels() {
  return Json{{"karmada.io/system", "true"}};
}

Json
policy_rule(std::vector<std::string> groups,
            std::vector<std::string> resources,
            std::vector<std::string> verbs) {
  return Json{
      {"apiGroups", strings(groups)}, {"resources", strings(resources)}, {"verbs", strings(verbs)}};
}

Json
cluster_role(const std::string& name, Json rules, Json extra_labels = Json::object()) {
  Json labels = rbac_labels();
  labels.update(extra_labels);
  Json role = object("rbac.authorization.k8s.io/v1", "ClusterRole", "", name, labels);
  role["rules"] = std::move(rules);
  return role;
}

Json
subject(const std::string& kind, const std::string& name) {
  return Json{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", kind}, {"name", name}};
}

Json
cluster_role_binding(const std::string& name, const std::string& role, Json subject_) {
  Json binding =
      object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", name, rbac_labels());
  binding["roleRef"] = {
      {"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", role}};
  binding["subjects"] = Json::array({std::move(subject_)});
  return binding;
}

Json
aggregate_role(const std::string& name,
               const std::string& verb_set,
               std::vector<std::string> verbs) {
  Json rules = Json::array({
      policy_rule({"autoscaling.karmada.io"},
                  {"cronfederatedhpas",
                   "cronfederatedhpas/status",
                   "federatedhpas",
                   "federatedhpas/status"},
                  verbs),
      policy_rule(
          {"multicluster.x-k8s.io"},
          {"serviceexports", "serviceexports/status", "serviceimports", "serviceimports/status"},
          verbs),
      policy_rule({"networking.karmada.io"},
                  {"multiclusteringresses",
                   "multiclusteringresses/status",
                   "multiclusterservices",
                   "multiclusterservices/status"},
                  verbs),
      policy_rule({"policy.karmada.io"}, {"overridepolicies", "propagationpolicies"}, verbs),
      policy_rule({"work.karmada.io"},
                  {"resourcebindings", "resourcebindings/status", "works", "works/status"},
                  verbs),
  });
  Json role = cluster_role(name,
                           rules,
                           {{"kubernetes.io/bootstrapping", "rbac-defaults"},
                            {"rbac.authorization.k8s.io/aggregate-to-" + verb_set, "true"}});
  role["metadata"]["annotations"] = {{"rbac.authorization.kubernetes.io/autoupdate", "true"}};
  return role;
}

} // namespace

Json
karmada_namespace(const InitSpec& spec) {
  return object("v1", "Namespace", "", spec.namespace_name);
}

Json
aggregated_apiserver_external_service(const InitSpec& spec) {
  Json s = object("v1", "Service", spec.namespace_name, k_aggregated_apiserver_name);
  s["spec"] = {
      {"type", "ExternalName"},
      {"externalName", fmt::format("{}.{}.svc", k_aggregated_apiserver_name, spec.namespace_name)}};
  return s;
}

Json
cluster_apiservice(const InitSpec& spec, const std::string& ca_pem) {
  Json a = object("apiregistration.k8s.io/v1",
                  "APIService",
                  "",
                  k_cluster_apiservice_name,
                  {{"app", k_aggregated_apiserver_name}, {"apiserver", "true"}});
  a["spec"] = {
      {"caBundle", encoding::base64_encode(ca_pem)},
      {"group", "cluster.karmada.io"},
      {"groupPriorityMinimum", 2000},
      {"service", {{"name", k_aggregated_apiserver_name}, {"namespace", spec.namespace_name}}},
      {"version", "v1alpha1"},
      {"versionPriority", 10}};
  return a;
}

Json
mutating_webhook_configuration(const InitSpec& spec, const std::string& ca_pem) {
  std::string ca_bundle = encoding::base64_encode(ca_pem);
  Json c = object("admissionregistration.k8s.io/v1",
                  "MutatingWebhookConfiguration",
                  "",
                  "mutating-config",
                  {{"app", k_webhook_name}});
  c["webhooks"] = Json::array();
  for (const auto& rule : mutating_rules()) {
    c["webhooks"].push_back(webhook(spec, rule, ca_bundle));
  }
  return c;
}

Json
validating_webhook_configuration(const InitSpec& spec, const std::string& ca_pem) {
  std::string ca_bundle = encoding::base64_encode(ca_pem);
  Json c = object("admissionregistration.k8s.io/v1",
                  "ValidatingWebhookConfiguration",
                  "",
                  "validating-config",
                  {{"app", k_webhook_name}});
  c["webhooks"] = Json::array();
  for (const auto& rule : validating_rules()) {
    c["webhooks"].push_back(webhook(spec, rule, ca_bundle));
  }
  c["webhooks"].push_back(deletion_protection_webhook(spec, ca_bundle));
  return c;
}

std::vector<Json>
bootstrap_rbac() {
  const std::vector<std::string> read = {"get", "list", "watch"};
  const std::vector<std::string> write = {
      "create", "delete", "deletecollection", "patch", "update"};
  std::vector<std::string> edit = read;
  edit.insert(edit.end(), write.begin(), write.end());

  Json clusterinfo_role = object("rbac.authorization.k8s.io/v1",
                                 "Role",
                                 "kube-public",
                                 "system:karmada:bootstrap-signer-clusterinfo",
                                 rbac_labels());
  clusterinfo_role["rules"] = Json::array({{{"apiGroups", Json::array({""})},
                                            {"resourceNames", Json::array({"cluster-info"})},
                                            {"resources", Json::array({"configmaps"})},
                                            {"verbs", Json::array({"get"})}}});
  Json clusterinfo_binding = object("rbac.authorization.k8s.io/v1",
                                    "RoleBinding",
                                    "kube-public",
                                    "system:karmada:bootstrap-signer-clusterinfo",
                                    rbac_labels());
  clusterinfo_binding["roleRef"] = {{"apiGroup", "rbac.authorization.k8s.io"},
                                    {"kind", "Role"},
                                    {"name", "system:karmada:bootstrap-signer-clusterinfo"}};
  clusterinfo_binding["subjects"] = Json::array({subject("User", "system:anonymous")});

  return {
      aggregate_role("karmada-view", "view", read),
      aggregate_role("karmada-edit", "edit", edit),
      cluster_role("cluster-proxy-admin",
                   Json::array({policy_rule({"cluster.karmada.io"}, {"clusters/proxy"}, {"*"})})),
      cluster_role_binding(
          "cluster-proxy-admin", "cluster-proxy-admin", subject("User", "system:admin")),
      clusterinfo_role,
      clusterinfo_binding,
      cluster_role("system:karmada:agent-rbac-generator",
                   Json::array({policy_rule({"*"}, {"*"}, {"*"})})),
      cluster_role_binding("system:karmada:agent-rbac-generator",
                           "system:karmada:agent-rbac-generator",
                           subject("User", "system:karmada:agent:rbac-generator")),
      cluster_role_binding("system:karmada:agent-bootstrap",
                           "system:node-bootstrapper",
                           subject("Group", k_bootstrap_token_group)),
      cluster_role(
          "system:karmada:certificatesigningrequest:autoapprover",
          Json::array({policy_rule(
              {"certificates.k8s.io"}, {"certificatesigningrequests/clusteragent"}, {"create"})})),
      cluster_role_binding("system:karmada:agent-autoapprove-bootstrap",
                           "system:karmada:certificatesigningrequest:autoapprover",
                           subject("Group", k_bootstrap_token_group)),
      cluster_role("system:karmada:certificatesigningrequest:selfautoapprover",
                   Json::array({policy_rule({"certificates.k8s.io"},
                                            {"certificatesigningrequests/selfclusteragent"},
                                            {"create"})})),
      cluster_role_binding("system:karmada:agent-autoapprove-certificate-rotation",
                           "system:karmada:certificatesigningrequest:selfautoapprover",
                           subject("Group", "system:karmada:agents")),
  };
}

Json
cluster_info_configmap(const std::string& server, const std::string& ca_pem) {
  Json kubeconfig = {
      {"apiVersion", "v1"},
      {"kind", "Config"},
      {"clusters",
       Json::array({{{"name", ""},
                     {"cluster",
                      {{"certificate-authority-data", encoding::base64_encode(ca_pem)},
                       {"server", server}}}}})},
      {"contexts", Json::array()},
      {"current-context", ""},
      {"preferences", Json::object()},
      {"users", Json::array()},
  };
  Json cm = object("v1", "ConfigMap", "kube-public", "cluster-info");
  cm["data"] = {{"kubeconfig", yaml::dump(kubeconfig)}};
  return cm;
}

} // namespace kctl::manifests
