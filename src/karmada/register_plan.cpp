#include "karmada/register_plan.hpp"

#include "karmada/namespaces.hpp"
#include "kube/kubeconfig.hpp"
#include "pki/certificate.hpp"
#include "pki/key.hpp"
#include "util/encoding.hpp"
#include "util/json_parse.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kctl::karmada {

namespace {

Json
labels() {
  return {{"karmada.io/system", "true"}, {"app.kubernetes.io/managed-by", "karmadactl"}};
}

Json
object(std::string_view api_version,
       std::string_view kind,
       std::string_view namespace_name,
       std::string_view name,
       Json extra_labels = Json::object()) {
  Json meta = {{"name", name}};
  if (!namespace_name.empty()) {
    meta["namespace"] = namespace_name;
  }
  Json all = labels();
  for (const auto& [key, value] : extra_labels.items()) {
    all[key] = value;
  }
  meta["labels"] = all;
  return {{"apiVersion", api_version}, {"kind", kind}, {"metadata", meta}};
}

Json
rule(std::vector<std::string> groups,
     std::vector<std::string> resources,
     std::vector<std::string> verbs,
     std::vector<std::string> names = {}) {
  Json r = {{"apiGroups", groups}, {"resources", resources}};
  if (!names.empty()) {
    r["resourceNames"] = names;
  }
  r["verbs"] = verbs;
  return r;
}

Json
cluster_role(std::string_view name, Json rules) {
  Json role = object("rbac.authorization.k8s.io/v1", "ClusterRole", "", name);
  role["rules"] = std::move(rules);
  return role;
}

Json
role(std::string_view ns, std::string_view name, Json rules) {
  Json r = object("rbac.authorization.k8s.io/v1", "Role", ns, name);
  r["rules"] = std::move(rules);
  return r;
}

Json
binding(std::string_view kind,
        std::string_view ns,
        std::string_view name,
        std::string_view role_kind,
        std::string_view role_name,
        Json subject) {
  Json b = object("rbac.authorization.k8s.io/v1", kind, ns, name);
  b["roleRef"] = {
      {"apiGroup", "rbac.authorization.k8s.io"}, {"kind", role_kind}, {"name", role_name}};
  b["subjects"] = Json::array({std::move(subject)});
  return b;
}

Json
user_subject(std::string_view user) {
  return {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "User"}, {"name", user}};
}

std::string
prefix(std::string_view cluster) {
  return fmt::format("system:karmada:{}:", cluster);
}

} // namespace

std::string
agent_user(std::string_view cluster) {
  return fmt::format("system:karmada:agent:{}", cluster);
}

std::vector<Json>
control_plane_objects(const RegisterSpec& spec) {
  const std::string& c = spec.cluster_name;
  std::string work_namespace = execution_space(c);
  std::vector<Json> out;
  Json rules = Json::array({
      rule({"cluster.karmada.io"}, {"clusters"}, {"get", "delete"}, {c}),
      rule({"cluster.karmada.io"}, {"clusters"}, {"create", "list", "watch"}),
      rule({"cluster.karmada.io"}, {"clusters/status"}, {"update"}, {c}),
      rule({"config.karmada.io"},
           {"resourceinterpreterwebhookconfigurations", "resourceinterpretercustomizations"},
           {"get", "list", "watch"}),
      rule({""}, {"namespaces"}, {"get"}),
      rule({"coordination.k8s.io"}, {"leases"}, {"get", "create", "update"}),
      rule({"certificates.k8s.io"}, {"certificatesigningrequests"}, {"get", "create"}),
      rule({""}, {"services"}, {"list", "watch"}),
      rule({""}, {"events"}, {"patch", "create", "update"}),
  });
  out.push_back(cluster_role(prefix(c) + "agent", rules));
  out.push_back(binding("ClusterRoleBinding",
                        "",
                        prefix(c) + "agent",
                        "ClusterRole",
                        prefix(c) + "agent",
                        user_subject(agent_user(c))));
  out.push_back(object("v1", "Namespace", "", spec.cluster_namespace));
  out.push_back(object("v1", "Namespace", "", work_namespace));
  out.push_back(
      role(spec.cluster_namespace,
           prefix(c) + "agent-secret",
           Json::array({rule({""}, {"secrets"}, {"get", "patch"}, {c, c + "-impersonator"}),
                        rule({""}, {"secrets"}, {"create"})})));
  out.push_back(binding("RoleBinding",
                        spec.cluster_namespace,
                        prefix(c) + "agent-secret",
                        "Role",
                        prefix(c) + "agent-secret",
                        user_subject(agent_user(c))));
  out.push_back(
      role(work_namespace,
           prefix(c) + "agent-work",
           Json::array({rule({"work.karmada.io"},
                             {"works"},
                             {"get", "create", "list", "watch", "update", "delete"}),
                        rule({"work.karmada.io"}, {"works/status"}, {"patch", "update"})})));
  out.push_back(binding("RoleBinding",
                        work_namespace,
                        prefix(c) + "agent-work",
                        "Role",
                        prefix(c) + "agent-work",
                        user_subject(agent_user(c))));
  return out;
}

std::vector<kube::ResourceRef>
control_plane_rbac_refs(std::string_view cluster, std::string_view cluster_namespace) {
  std::string c(cluster);
  return {
      kube::rbac("clusterrolebindings").with_name(prefix(c) + "agent"),
      kube::rbac("clusterroles").with_name(prefix(c) + "agent"),
      kube::rbac("rolebindings")
          .in(std::string(cluster_namespace))
          .with_name(prefix(c) + "agent-secret"),
      kube::rbac("roles").in(std::string(cluster_namespace)).with_name(prefix(c) + "agent-secret"),
      kube::rbac("rolebindings").in(execution_space(c)).with_name(prefix(c) + "agent-work"),
      kube::rbac("roles").in(execution_space(c)).with_name(prefix(c) + "agent-work"),
  };
}

kube::ResourceRef
agent_lease_ref(std::string_view agent_namespace, std::string_view cluster) {
  return {"coordination.k8s.io",
          "v1",
          "leases",
          std::string(agent_namespace),
          "karmada-agent-" + std::string(cluster),
          ""};
}

Json
certificate_signing_request(std::string_view name,
                            std::string_view request_pem,
                            std::int64_t expiration_seconds) {
  Json csr = {{"apiVersion", "certificates.k8s.io/v1"},
              {"kind", "CertificateSigningRequest"},
              {"metadata", {{"name", name}, {"labels", {{"karmada.io/system", "true"}}}}}};
  csr["spec"] = {{"request", encoding::base64_encode(request_pem)},
                 {"signerName", k_agent_signer},
                 {"expirationSeconds", expiration_seconds},
                 {"usages", {"digital signature", "key encipherment", "client auth"}}};
  return csr;
}

Json
agent_deployment(const RegisterSpec& spec) {
  std::vector<std::string> command = {
      "/bin/karmada-agent",
      "--karmada-kubeconfig=/etc/kubeconfig/karmada-kubeconfig",
      "--cluster-name=" + spec.cluster_name,
      "--cluster-api-endpoint=" + spec.member_api_endpoint,
      "--cluster-provider=" + spec.cluster_provider,
      "--cluster-region=" + spec.cluster_region,
      "--cluster-zones=" + strings::join(spec.cluster_zones, ","),
      std::string("--controllers=") + (spec.enable_cert_rotation ? "*,certRotation" : "*"),
      "--proxy-server-address=" + spec.proxy_server_address,
      "--leader-elect-resource-namespace=" + spec.namespace_name,
      "--cluster-namespace=" + spec.cluster_namespace,
      "--cluster-status-update-frequency=10s",
      "--metrics-bind-address=$(POD_IP):8080",
      "--health-probe-bind-address=$(POD_IP):10357",
      "--v=2",
  };
  Json app = {{"app", k_agent_name}};
  Json container = {
      {"name", k_agent_name},
      {"image", spec.agent_image},
      {"command", command},
      {"env",
       Json::array(
           {{{"name", "POD_IP"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "status.podIP"}}}}}}})},
      {"ports", Json::array({{{"name", "metrics"}, {"containerPort", 8080}, {"protocol", "TCP"}}})},
      {"volumeMounts", Json::array({{{"name", "kubeconfig"}, {"mountPath", "/etc/kubeconfig"}}})},
  };
  Json deployment = object("apps/v1", "Deployment", spec.namespace_name, k_agent_name, app);
  deployment["spec"] = {
      {"replicas", spec.agent_replicas},
      {"selector", {{"matchLabels", app}}},
      {"template",
       {{"metadata", {{"labels", app}}},
        {"spec",
         {{"serviceAccountName", k_agent_service_account},
          {"tolerations",
           Json::array({{{"key", "node-role.kubernetes.io/master"}, {"operator", "Exists"}}})},
          {"containers", Json::array({container})},
          {"volumes",
           Json::array({{{"name", "kubeconfig"},
                         {"secret", {{"secretName", k_agent_kubeconfig_secret}}}}})}}}}}};
  return deployment;
}

std::vector<Json>
member_objects(const RegisterSpec& spec, std::string_view agent_kubeconfig) {
  std::vector<Json> out;
  out.push_back(object("v1", "Namespace", "", spec.namespace_name));
  Json secret = object("v1", "Secret", spec.namespace_name, k_agent_kubeconfig_secret);
  secret["type"] = "Opaque";
  secret["data"] = {
      {std::string(k_agent_kubeconfig_secret), encoding::base64_encode(agent_kubeconfig)}};
  out.push_back(secret);
  out.push_back(cluster_role(k_agent_name,
                             Json::array({rule({"*"}, {"*"}, {"*"}),
                                          Json{{"nonResourceURLs", Json::array({"*"})},
                                               {"verbs", Json::array({"get"})}}})));
  out.push_back(object("v1", "ServiceAccount", spec.namespace_name, k_agent_service_account));
  out.push_back(binding("ClusterRoleBinding",
                        "",
                        k_agent_name,
                        "ClusterRole",
                        k_agent_name,
                        {{"kind", "ServiceAccount"},
                         {"name", k_agent_service_account},
                         {"namespace", spec.namespace_name}}));
  out.push_back(agent_deployment(spec));
  return out;
}

std::string
agent_cluster_name(const Json& deployment) {
  constexpr std::string_view flag = "--cluster-name=";
  for (const auto& container :
       deployment.value("/spec/template/spec/containers"_json_pointer, Json::array())) {
    for (const char* field : {"command", "args"}) {
      for (const auto& arg : container.value(field, Json::array())) {
        if (arg.is_string() && arg.get<std::string>().starts_with(flag)) {
          return arg.get<std::string>().substr(flag.size());
        }
      }
    }
  }
  return "";
}

std::vector<kube::ResourceRef>
member_refs(std::string_view namespace_name,
            std::string_view cluster,
            std::string_view cluster_namespace) {
  std::string ns(namespace_name);
  std::string cns(cluster_namespace);
  std::string c(cluster);
  return {
      kube::apps("deployments").in(ns).with_name(std::string(k_agent_name)),
      // What the agent reported with (--report-secrets): the push-style credentials.
      kube::core("serviceaccounts").in(cns).with_name("karmada-" + c),
      kube::core("secrets").in(cns).with_name("karmada-" + c),
      kube::rbac("clusterrolebindings").with_name("karmada-controller-manager:karmada-" + c),
      kube::rbac("clusterroles").with_name("karmada-controller-manager:karmada-" + c),
      kube::core("serviceaccounts").in(cns).with_name("karmada-impersonator"),
      kube::core("secrets").in(cns).with_name("karmada-impersonator"),
      kube::core("namespaces").with_name(cns),
      kube::core("serviceaccounts").in(ns).with_name(std::string(k_agent_service_account)),
      kube::rbac("clusterrolebindings").with_name(std::string(k_agent_name)),
      kube::rbac("clusterroles").with_name(std::string(k_agent_name)),
      kube::core("secrets").in(ns).with_name(std::string(k_agent_kubeconfig_secret)),
  };
}

std::vector<std::string>
describe_objects(const std::vector<Json>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects) {
    std::string ns = o.value("/metadata/namespace"_json_pointer, "");
    std::string name = o.value("/metadata/name"_json_pointer, "");
    out.push_back(fmt::format(
        "{} {}", o.value("kind", ""), ns.empty() ? name : fmt::format("{}/{}", ns, name)));
  }
  return out;
}

namespace {

// Whether the certificate and key of `user` are this cluster's agent's, issued by `want.ca_pem`
// and valid for a while yet.
bool
usable_agent_certificate(const kube::KubeUser& user, const AgentKubeconfigWant& want) {
  auto cert = pki::parse_certificate_pem(user.client_certificate_data, k_agent_kubeconfig_secret);
  auto key = pki::parse_private_key_pem(user.client_key_data, k_agent_kubeconfig_secret);
  if (!cert || !key || !pki::matches_key(*cert, *key)) {
    return false;
  }
  auto cas = pki::parse_certificates_pem(want.ca_pem, "cluster-info");
  if (!cas || !pki::verify_certificate(*cert, *cas)) {
    return false;
  }
  return pki::inspect(*cert).common_name == agent_user(want.cluster_name) &&
         pki::days_until_expiry(*cert) >= want.min_days_left;
}

} // namespace

std::optional<std::string>
reusable_agent_kubeconfig(const std::optional<Json>& secret, const AgentKubeconfigWant& want) {
  if (!secret) {
    return std::nullopt;
  }
  std::string key(k_agent_kubeconfig_secret);
  auto text = encoding::base64_decode(json::string_at(*secret, Json::json_pointer("/data/" + key)));
  if (!text) {
    return std::nullopt;
  }
  auto config = kube::parse_kubeconfig(*text, key);
  if (!config || config->clusters.size() != 1 || config->users.size() != 1) {
    return std::nullopt;
  }
  const auto& cluster = config->clusters.begin()->second;
  if (cluster.server != want.server || cluster.certificate_authority_data != want.ca_pem ||
      !usable_agent_certificate(config->users.begin()->second, want)) {
    return std::nullopt;
  }
  return *text;
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

std::optional<std::string>
cluster_pending_reason(const std::optional<Json>& cluster) {
  if (!cluster) {
    return "the agent has not created it yet";
  }
  if (!cluster_ready(*cluster)) {
    return "it is not Ready yet";
  }
  return std::nullopt;
}

bool
registered_as_this_member(const std::vector<ClusterSummary>& clusters,
                          std::string_view name,
                          std::string_view cluster_id) {
  return std::any_of(clusters.begin(), clusters.end(), [&](const ClusterSummary& c) {
    return c.name == name && c.id == cluster_id;
  });
}

} // namespace kctl::karmada
