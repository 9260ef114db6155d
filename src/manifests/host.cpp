#include "manifests/host.hpp"

#include "manifests/meta.hpp"
#include "util/encoding.hpp"

#include <fmt/format.h>

namespace kctl::manifests {

namespace {

constexpr const char* k_cert_volume = "karmada-cert";
constexpr const char* k_cert_secret = "karmada-cert";
constexpr const char* k_config_volume = "karmada-config";
constexpr const char* k_webhook_cert_volume = "karmada-webhook-cert";
constexpr const char* k_webhook_cert_dir = "/var/serving-cert";
constexpr const char* k_etcd_cert_secret = "etcd-cert";
constexpr const char* k_etcd_data_volume = "etcd-data";
constexpr const char* k_etcd_data_dir = "/var/lib/karmada-etcd";
constexpr const char* k_etcd_config_dir = "/etc/etcd";
constexpr const char* k_service_cluster_ip_range = "10.96.0.0/12";
constexpr const char* k_go_tls_cipher_suites =
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";

std::string
pki(std::string_view file) {
  return fmt::format("{}/{}", k_pki_dir, file);
}

Json
ownership_labels(std::string_view bootstrapping) {
  return Json{{std::string(k_bootstrapping_key), bootstrapping}};
}

// The parts in which one component's workload differs from another's.
struct Workload {
  std::string name;
  const ComponentSpec* component = nullptr;
  std::vector<std::string> default_command;
  Json ports = Json::array();
  Json probes = Json::object(); // livenessProbe / readinessProbe entries
  Json env = Json::array();
  Json mounts = Json::array();
  Json volumes = Json::array();
  Json extra_pod_labels = Json::object();
  Json default_resources = Json::object();
};

Json
required_anti_affinity(const std::string& app) {
  return Json{
      {"podAntiAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         Json::array(
             {{{"labelSelector",
                {{"matchExpressions",
                  Json::array(
                      {{{"key", "app"}, {"operator", "In"}, {"values", Json::array({app})}}})}}},
               {"topologyKey", "kubernetes.io/hostname"}}})}}}};
}

Json
container(const InitSpec& spec, const Workload& w) {
  Json c = {{"name", w.name},
            {"image", w.component->image},
            {"imagePullPolicy", spec.image_pull_policy},
            {"command", strings(merge_args(w.default_command, w.component->extra_args))}};
  if (!w.env.empty()) {
    c["env"] = w.env;
  }
  if (!w.ports.empty()) {
    c["ports"] = w.ports;
  }
  c.update(w.probes);
  Json resources = w.component->resources.empty() ? w.default_resources : w.component->resources;
  if (!resources.empty()) {
    c["resources"] = resources;
  }
  if (!w.mounts.empty()) {
    c["volumeMounts"] = w.mounts;
  }
  return c;
}

Json
pod_spec(const InitSpec& spec, const Workload& w) {
  const ComponentSpec& component = *w.component;
  Json tolerations = Json::array({{{"effect", "NoExecute"}, {"operator", "Exists"}}});
  for (const auto& toleration : component.tolerations) {
    tolerations.push_back(toleration);
  }
  Json pod = {
      {"automountServiceAccountToken", false},
      {"containers", Json::array({container(spec, w)})},
      {"priorityClassName", component.priority_class},
      {"tolerations", tolerations},
      {"affinity",
       component.affinity.empty() ? required_anti_affinity(w.name) : component.affinity},
  };
  if (!component.node_selector.empty()) {
    pod["nodeSelector"] = to_json(component.node_selector);
  }
  if (!spec.image_pull_secrets.empty()) {
    Json secrets = Json::array();
    for (const auto& name : spec.image_pull_secrets) {
      secrets.push_back({{"name", name}});
    }
    pod["imagePullSecrets"] = secrets;
  }
  if (!w.volumes.empty()) {
    pod["volumes"] = w.volumes;
  }
  return pod;
}

Json
pod_template(const InitSpec& spec, const Workload& w) {
  Json labels = {{"app", w.name}};
  labels.update(w.extra_pod_labels);
  return Json{{"metadata", {{"labels", labels}}}, {"spec", pod_spec(spec, w)}};
}

Json
deployment(const InitSpec& spec, const Workload& w) {
  Json d = object(
      "apps/v1", "Deployment", spec.namespace_name, w.name, ownership_labels("app-defaults"));
  d["spec"] = {{"replicas", w.component->replicas}};
  if (!w.probes.contains("readinessProbe")) {
    d["spec"]["minReadySeconds"] = k_min_ready_seconds_without_probe;
  }
  d["spec"]["selector"] = {{"matchLabels", {{"app", w.name}}}};
  d["spec"]["template"] = pod_template(spec, w);
  return d;
}

Json
service(const InitSpec& spec, const std::string& name, Json service_spec) {
  Json s = object("v1", "Service", spec.namespace_name, name, ownership_labels("service-defaults"));
  s["spec"] = std::move(service_spec);
  return s;
}

Json
service_port(std::string_view name, int port, int target_port) {
  return Json{{"name", name}, {"port", port}, {"protocol", "TCP"}, {"targetPort", target_port}};
}

// Kubeconfig and certificate mounts most components share.
void
mount_config_and_certs(Workload& w, bool with_certs) {
  w.volumes.push_back(secret_volume(k_config_volume, w.name + "-config"));
  w.mounts.push_back(volume_mount(k_config_volume, k_config_dir, true));
  if (with_certs) {
    w.volumes.push_back(secret_volume(k_cert_volume, k_cert_secret));
    w.mounts.push_back(volume_mount(k_cert_volume, k_pki_dir, true));
  }
}

std::vector<std::string>
etcd_client_args(const InitSpec& spec) {
  std::vector<std::string> args = {
      "--etcd-servers=" + etcd_servers(spec),
      "--etcd-cafile=" + pki("etcd-ca.crt"),
      "--etcd-certfile=" + pki("etcd-client.crt"),
      "--etcd-keyfile=" + pki("etcd-client.key"),
  };
  if (spec.external_etcd_mode() && !spec.external_etcd.key_prefix.empty()) {
    args.push_back("--etcd-prefix=" + spec.external_etcd.key_prefix);
  }
  return args;
}

Json
timing(int initial_delay, int period, int failure_threshold, int timeout) {
  Json t = {{"failureThreshold", failure_threshold},
            {"periodSeconds", period},
            {"successThreshold", 1},
            {"timeoutSeconds", timeout}};
  if (initial_delay > 0) {
    t["initialDelaySeconds"] = initial_delay;
  }
  return t;
}

Json
etcd_data_volume(const InitSpec& spec) {
  switch (spec.local_etcd.storage_mode) {
  case EtcdStorageMode::host_path:
    return host_path_volume(k_etcd_data_volume, spec.local_etcd.data_path, "DirectoryOrCreate");
  case EtcdStorageMode::empty_dir:
    return empty_dir_volume(k_etcd_data_volume);
  case EtcdStorageMode::pvc:
    break;
  }
  return nullptr; // PVC: a volumeClaimTemplate provides it
}

Json
etcd_claim_template(const InitSpec& spec) {
  Json claim = {{"metadata",
                 {{"name", k_etcd_data_volume},
                  {"labels", {{std::string(k_bootstrapping_key), "pvc-defaults"}}}}},
                {"spec",
                 {{"accessModes", Json::array({"ReadWriteOnce"})},
                  {"resources", {{"requests", {{"storage", spec.local_etcd.pvc_size}}}}},
                  {"storageClassName", spec.local_etcd.storage_class},
                  {"volumeMode", "Filesystem"}}}};
  return claim;
}

std::vector<std::string>
etcd_command(const InitSpec& spec) {
  std::string initial_cluster;
  std::vector<std::string> hosts = etcd_member_hosts(spec);
  for (size_t i = 0; i < hosts.size(); ++i) {
    initial_cluster +=
        fmt::format("{}{}-{}=http://{}:2380", i == 0 ? "" : ",", k_etcd_name, i, hosts[i]);
  }
  return {
      "/usr/local/bin/etcd",
      "--name=$(POD_NAME)",
      "--listen-peer-urls=http://$(POD_IP):2380",
      "--listen-client-urls=https://$(POD_IP):2379,http://127.0.0.1:2379",
      "--listen-metrics-urls=http://$(POD_IP):2381",
      fmt::format("--advertise-client-urls=https://$(POD_NAME).{}.{}.svc.{}:2379",
                  k_etcd_name,
                  spec.namespace_name,
                  spec.cluster_domain),
      "--initial-cluster=" + initial_cluster,
      "--initial-cluster-state=new",
      "--client-cert-auth=true",
      "--cert-file=" + pki("etcd-server.crt"),
      "--key-file=" + pki("etcd-server.key"),
      "--trusted-ca-file=" + pki("etcd-ca.crt"),
      std::string("--data-dir=") + k_etcd_data_dir,
      std::string("--cipher-suites=") + k_go_tls_cipher_suites,
      "--initial-cluster-token=etcd-cluster",
      "--initial-advertise-peer-urls=http://$(POD_IP):2380",
      "--peer-client-cert-auth=false",
      "--peer-trusted-ca-file=" + pki("etcd-ca.crt"),
      "--peer-key-file=" + pki("etcd-server.key"),
      "--peer-cert-file=" + pki("etcd-server.crt"),
  };
}

} // namespace

std::string
apiserver_service_url(const InitSpec& spec) {
  return fmt::format("https://{}.{}.svc.{}:{}",
                     k_apiserver_name,
                     spec.namespace_name,
                     spec.cluster_domain,
                     k_apiserver_port);
}

std::vector<std::string>
etcd_member_hosts(const InitSpec& spec) {
  std::vector<std::string> hosts;
  for (std::int32_t i = 0; i < spec.component(Component::etcd).replicas; ++i) {
    hosts.push_back(fmt::format("{}-{}.{}.{}.svc.{}",
                                k_etcd_name,
                                i,
                                k_etcd_name,
                                spec.namespace_name,
                                spec.cluster_domain));
  }
  return hosts;
}

std::string
etcd_servers(const InitSpec& spec) {
  std::string servers;
  if (spec.external_etcd_mode()) {
    for (const auto& server : spec.external_etcd.servers) {
      servers += (servers.empty() ? "" : ",") + server;
    }
    return servers;
  }
  for (const auto& host : etcd_member_hosts(spec)) {
    servers += fmt::format("{}https://{}:2379", servers.empty() ? "" : ",", host);
  }
  return servers;
}

Json
host_namespace(const InitSpec& spec) {
  return object("v1", "Namespace", "", spec.namespace_name, Json{{"karmada.io/system", "true"}});
}

Json
etcd_service(const InitSpec& spec) {
  return service(
      spec,
      k_etcd_name,
      {{"clusterIP", "None"},
       {"ports",
        Json::array({service_port("client", 2379, 2379), service_port("server", 2380, 2380)})},
       {"selector", {{"app", k_etcd_name}}},
       {"type", "ClusterIP"}});
}

Json
etcd_statefulset(const InitSpec& spec) {
  Workload w;
  w.name = k_etcd_name;
  w.component = &spec.component(Component::etcd);
  w.default_command = etcd_command(spec);
  w.ports = Json::array({container_port("client", 2379),
                         container_port("server", 2380),
                         container_port("metrics", 2381)});
  w.env =
      Json::array({env_field("POD_NAME", "metadata.name"), env_field("POD_IP", "status.podIP")});
  w.probes = {{"livenessProbe", http_probe("HTTP", "/livez", 2381, timing(60, 10, 3, 5))},
              {"readinessProbe", http_probe("HTTP", "/readyz", 2381, timing(10, 5, 30, 5))}};
  w.volumes = Json::array(
      {secret_volume(k_etcd_cert_secret, k_etcd_cert_secret), empty_dir_volume("etcd-config")});
  if (Json data = etcd_data_volume(spec); !data.is_null()) {
    w.volumes.push_back(data);
  }
  w.mounts = Json::array({volume_mount(k_etcd_data_volume, k_etcd_data_dir, false),
                          volume_mount("etcd-config", k_etcd_config_dir, false),
                          volume_mount(k_etcd_cert_secret, k_pki_dir, true)});

  Json template_ = pod_template(spec, w);
  Json& pod = template_["spec"];
  // etcd members prefer, not require, distinct nodes: a one-node cluster can still run three.
  if (spec.component(Component::etcd).affinity.empty()) {
    pod["affinity"] = {
        {"podAntiAffinity",
         {{"preferredDuringSchedulingIgnoredDuringExecution",
           Json::array(
               {{{"weight", 100},
                 {"podAffinityTerm",
                  required_anti_affinity(
                      k_etcd_name)["podAntiAffinity"]
                                  ["requiredDuringSchedulingIgnoredDuringExecution"][0]}}})}}}};
  }
  if (spec.local_etcd.storage_mode == EtcdStorageMode::host_path) {
    pod["nodeSelector"] = spec.local_etcd.node_selector.empty()
                              ? Json{{"karmada.io/etcd", ""}}
                              : to_json(spec.local_etcd.node_selector);
  }
  Json s = object(
      "apps/v1", "StatefulSet", spec.namespace_name, k_etcd_name, ownership_labels("app-defaults"));
  s["spec"] = {{"replicas", spec.component(Component::etcd).replicas},
               {"selector", {{"matchLabels", {{"app", k_etcd_name}}}}},
               {"serviceName", k_etcd_name},
               {"template", template_}};
  if (spec.local_etcd.storage_mode == EtcdStorageMode::pvc) {
    s["spec"]["volumeClaimTemplates"] = Json::array({etcd_claim_template(spec)});
  }
  return s;
}

Json
apiserver_service(const InitSpec& spec) {
  Json port = service_port("server", k_apiserver_port, k_apiserver_port);
  port["nodePort"] = spec.node_port;
  Json s = service(spec,
                   k_apiserver_name,
                   {{"ports", Json::array({port})},
                    {"selector", {{"app", k_apiserver_name}}},
                    {"type", "NodePort"}});
  if (!spec.apiserver_service_annotations.empty()) {
    s["metadata"]["annotations"] = to_json(spec.apiserver_service_annotations);
  }
  return s;
}

Json
apiserver_deployment(const InitSpec& spec) {
  Workload w;
  w.name = k_apiserver_name;
  w.component = &spec.component(Component::apiserver);
  w.default_command = {
      "kube-apiserver",
      "--allow-privileged=true",
      "--authorization-mode=Node,RBAC",
      "--client-ca-file=" + pki("ca.crt"),
      "--enable-bootstrap-token-auth=true",
  };
  for (auto& arg : etcd_client_args(spec)) {
    w.default_command.push_back(std::move(arg));
  }
  std::vector<std::string> rest = {
      "--bind-address=0.0.0.0",
      "--disable-admission-plugins=StorageObjectInUseProtection,ServiceAccount",
      "--runtime-config=",
      fmt::format("--apiserver-count={}", spec.component(Component::apiserver).replicas),
      fmt::format("--secure-port={}", k_apiserver_port),
      "--service-account-issuer=https://kubernetes.default.svc." + spec.cluster_domain,
      "--service-account-key-file=" + pki("karmada.key"),
      "--service-account-signing-key-file=" + pki("karmada.key"),
      std::string("--service-cluster-ip-range=") + k_service_cluster_ip_range,
      "--proxy-client-cert-file=" + pki("front-proxy-client.crt"),
      "--proxy-client-key-file=" + pki("front-proxy-client.key"),
      "--requestheader-allowed-names=front-proxy-client",
      "--requestheader-client-ca-file=" + pki("front-proxy-ca.crt"),
      "--requestheader-extra-headers-prefix=X-Remote-Extra-",
      "--requestheader-group-headers=X-Remote-Group",
      "--requestheader-username-headers=X-Remote-User",
      "--tls-cert-file=" + pki("apiserver.crt"),
      "--tls-private-key-file=" + pki("apiserver.key"),
      "--tls-min-version=VersionTLS13",
      "--v=2",
  };
  w.default_command.insert(w.default_command.end(), rest.begin(), rest.end());
  w.ports = Json::array({container_port("server", k_apiserver_port)});
  w.probes = {
      {"livenessProbe", http_probe("HTTPS", "/livez", k_apiserver_port, timing(15, 30, 3, 5))},
      // Upstream probes readiness every 30s, so init waits up to 30s after the server is up.
      {"readinessProbe", http_probe("HTTPS", "/readyz", k_apiserver_port, timing(0, 5, 3, 5))}};
  w.volumes = Json::array({secret_volume(k_cert_volume, k_cert_secret)});
  w.mounts = Json::array({volume_mount(k_cert_volume, k_pki_dir, true)});
  return deployment(spec, w);
}

Json
aggregated_apiserver_service(const InitSpec& spec) {
  return service(spec,
                 k_aggregated_apiserver_name,
                 {{"ports", Json::array({service_port("server", 443, 443)})},
                  {"selector", {{"app", k_aggregated_apiserver_name}}},
                  {"type", "ClusterIP"}});
}

Json
aggregated_apiserver_deployment(const InitSpec& spec) {
  Workload w;
  w.name = k_aggregated_apiserver_name;
  w.component = &spec.component(Component::aggregated_apiserver);
  w.default_command = {
      "/bin/karmada-aggregated-apiserver",
      std::string("--kubeconfig=") + k_kubeconfig_in_pod,
      std::string("--authentication-kubeconfig=") + k_kubeconfig_in_pod,
      std::string("--authorization-kubeconfig=") + k_kubeconfig_in_pod,
  };
  for (auto& arg : etcd_client_args(spec)) {
    w.default_command.push_back(std::move(arg));
  }
  std::vector<std::string> rest = {
      "--tls-cert-file=" + pki("karmada.crt"),
      "--tls-private-key-file=" + pki("karmada.key"),
      "--tls-min-version=VersionTLS13",
      "--audit-log-path=-",
      "--audit-log-maxage=0",
      "--audit-log-maxbackup=0",
      "--bind-address=$(POD_IP)",
      "--v=2",
  };
  w.default_command.insert(w.default_command.end(), rest.begin(), rest.end());
  w.env = Json::array({env_field("POD_IP", "status.podIP")});
  w.probes = {{"livenessProbe", http_probe("HTTPS", "/healthz", 443, timing(15, 15, 3, 5))},
              {"readinessProbe", http_probe("HTTPS", "/readyz", 443, timing(0, 5, 3, 5))}};
  w.extra_pod_labels = {{"apiserver", "true"}};
  w.default_resources = {{"requests", {{"cpu", "100m"}}}};
  mount_config_and_certs(w, true);
  return deployment(spec, w);
}

Json
kube_controller_manager_service(const InitSpec& spec) {
  return service(spec,
                 k_kube_controller_manager_name,
                 {{"ports", Json::array({service_port("https", 10257, 10257)})},
                  {"selector", {{"app", k_kube_controller_manager_name}}},
                  {"type", "ClusterIP"}});
}

Json
kube_controller_manager_deployment(const InitSpec& spec) {
  Workload w;
  w.name = k_kube_controller_manager_name;
  w.component = &spec.component(Component::kube_controller_manager);
  w.default_command = {
      "kube-controller-manager",
      "--allocate-node-cidrs=true",
      std::string("--kubeconfig=") + k_kubeconfig_in_pod,
      std::string("--authentication-kubeconfig=") + k_kubeconfig_in_pod,
      std::string("--authorization-kubeconfig=") + k_kubeconfig_in_pod,
      "--bind-address=0.0.0.0",
      "--client-ca-file=" + pki("ca.crt"),
      "--cluster-cidr=10.244.0.0/16",
      "--cluster-name=karmada-apiserver",
      "--cluster-signing-cert-file=" + pki("ca.crt"),
      "--cluster-signing-key-file=" + pki("ca.key"),
      "--controllers=namespace,garbagecollector,serviceaccount-token,ttl-after-finished,"
      "bootstrapsigner,"
      "tokencleaner,csrcleaner,csrsigning,clusterrole-aggregation",
      "--leader-elect=true",
      "--leader-elect-resource-namespace=" + spec.namespace_name,
      "--node-cidr-mask-size=24",
      "--root-ca-file=" + pki("ca.crt"),
      "--service-account-private-key-file=" + pki("karmada.key"),
      std::string("--service-cluster-ip-range=") + k_service_cluster_ip_range,
      "--use-service-account-credentials=true",
      "--v=2",
  };
  w.ports = Json::array({container_port("metrics", 10257)});
  w.probes = {{"livenessProbe", http_probe("HTTPS", "/healthz", 10257, timing(10, 10, 8, 15))}};
  w.volumes = Json::array({secret_volume(k_config_volume, "kube-controller-manager-config"),
                           secret_volume(k_cert_volume, k_cert_secret)});
  w.mounts = Json::array({volume_mount(k_config_volume, k_config_dir, true),
                          volume_mount(k_cert_volume, k_pki_dir, true)});
  return deployment(spec, w);
}

Json
scheduler_deployment(const InitSpec& spec) {
  Workload w;
  w.name = k_scheduler_name;
  w.component = &spec.component(Component::scheduler);
  w.default_command = {
      "/bin/karmada-scheduler",
      std::string("--kubeconfig=") + k_kubeconfig_in_pod,
      "--metrics-bind-address=$(POD_IP):8080",
      "--health-probe-bind-address=$(POD_IP):10351",
      "--enable-scheduler-estimator=true",
      "--leader-elect=true",
      "--scheduler-estimator-ca-file=" + pki("ca.crt"),
      "--scheduler-estimator-cert-file=" + pki("karmada.crt"),
      "--scheduler-estimator-key-file=" + pki("karmada.key"),
      "--leader-elect-resource-namespace=" + spec.namespace_name,
      "--v=2",
  };
  w.env = Json::array({env_field("POD_IP", "status.podIP")});
  w.ports = Json::array({container_port("metrics", 8080)});
  w.probes = {{"livenessProbe", http_probe("HTTP", "/healthz", 10351, timing(15, 15, 3, 5))}};
  mount_config_and_certs(w, true);
  return deployment(spec, w);
}

Json
controller_manager_deployment(const InitSpec& spec) {
  Workload w;
  w.name = k_controller_manager_name;
  w.component = &spec.component(Component::controller_manager);
  w.default_command = {
      "/bin/karmada-controller-manager",
      std::string("--kubeconfig=") + k_kubeconfig_in_pod,
      "--metrics-bind-address=$(POD_IP):8080",
      "--health-probe-bind-address=$(POD_IP):10357",
      "--cluster-status-update-frequency=10s",
      "--leader-elect-resource-namespace=" + spec.namespace_name,
      "--v=2",
  };
  w.env = Json::array({env_field("POD_IP", "status.podIP")});
  w.ports = Json::array({container_port("metrics", 8080)});
  w.probes = {{"livenessProbe", http_probe("HTTP", "/healthz", 10357, timing(15, 15, 3, 5))}};
  mount_config_and_certs(w, false);
  return deployment(spec, w);
}

Json
webhook_service(const InitSpec& spec) {
  return service(spec,
                 k_webhook_name,
                 {{"ports", Json::array({service_port("webhook", 443, 8443)})},
                  {"selector", {{"app", k_webhook_name}}},
                  {"type", "ClusterIP"}});
}

Json
webhook_deployment(const InitSpec& spec) {
  Workload w;
  w.name = k_webhook_name;
  w.component = &spec.component(Component::webhook);
  w.default_command = {
      "/bin/karmada-webhook",
      std::string("--kubeconfig=") + k_kubeconfig_in_pod,
      "--bind-address=$(POD_IP)",
      "--metrics-bind-address=$(POD_IP):8080",
      "--health-probe-bind-address=$(POD_IP):8000",
      "--secure-port=8443",
      std::string("--cert-dir=") + k_webhook_cert_dir,
      "--v=2",
  };
  w.env = Json::array({env_field("POD_IP", "status.podIP")});
  w.ports = Json::array({container_port("webhook", 8443), container_port("metrics", 8080)});
  w.probes = {{"readinessProbe", http_probe("HTTPS", "/readyz", 8443, timing(0, 15, 3, 5))}};
  mount_config_and_certs(w, false);
  w.volumes.push_back(secret_volume(k_webhook_cert_volume, "karmada-webhook-cert"));
  w.mounts.push_back(volume_mount(k_webhook_cert_volume, k_webhook_cert_dir, true));
  return deployment(spec, w);
}

std::vector<Json>
component_objects(const InitSpec& spec, Component component) {
  switch (component) {
  case Component::etcd:
    if (spec.external_etcd_mode()) {
      return {};
    }
    return {etcd_service(spec), etcd_statefulset(spec)};
  case Component::apiserver:
    return {apiserver_service(spec), apiserver_deployment(spec)};
  case Component::aggregated_apiserver:
    return {aggregated_apiserver_service(spec), aggregated_apiserver_deployment(spec)};
  case Component::kube_controller_manager:
    return {kube_controller_manager_service(spec), kube_controller_manager_deployment(spec)};
  case Component::scheduler:
    return {scheduler_deployment(spec)};
  case Component::controller_manager:
    return {controller_manager_deployment(spec)};
  case Component::webhook:
    return {webhook_service(spec), webhook_deployment(spec)};
  }
  return {};
}

Json
host_secret(const InitSpec& spec,
            const std::string& name,
            const std::map<std::string, std::string>& string_data) {
  Json s = object("v1", "Secret", spec.namespace_name, name, ownership_labels("secret-defaults"));
  s["type"] = "Opaque";
  // `data`, not `stringData` (write-only), so a re-run can see the Secret already matches.
  Json data = Json::object();
  for (const auto& [key, value] : string_data) {
    data[key] = encoding::base64_encode(value);
  }
  s["data"] = std::move(data);
  return s;
}

std::vector<std::string>
component_config_secret_names() {
  return {"karmada-aggregated-apiserver-config",
          "karmada-controller-manager-config",
          "kube-controller-manager-config",
          "karmada-scheduler-config",
          "karmada-descheduler-config",
          "karmada-metrics-adapter-config",
          "karmada-search-config",
          "karmada-webhook-config"};
}

} // namespace kctl::manifests
