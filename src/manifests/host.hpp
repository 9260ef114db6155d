// The objects `init` creates in the host cluster, as pure functions of the InitSpec. Names,
// labels, ports and arguments follow upstream karmadactl v1.18 so existing guides, probes and
// `deinit` selectors keep working.
#pragma once

#include "manifests/init_spec.hpp"
#include "util/json.hpp"

#include <map>
#include <string>
#include <vector>

namespace kctl::manifests {

// Names fixed by upstream (rows of k_components).
inline constexpr const char* k_etcd_name = info(Component::etcd).name;
inline constexpr const char* k_apiserver_name = info(Component::apiserver).name;
inline constexpr const char* k_aggregated_apiserver_name =
    info(Component::aggregated_apiserver).name;
inline constexpr const char* k_kube_controller_manager_name =
    info(Component::kube_controller_manager).name;
inline constexpr const char* k_controller_manager_name = info(Component::controller_manager).name;
inline constexpr const char* k_scheduler_name = info(Component::scheduler).name;
inline constexpr const char* k_webhook_name = info(Component::webhook).name;
inline constexpr int k_apiserver_port = 5443;

// minReadySeconds of the Deployments whose container has no readiness probe (kube-controller-
// manager, scheduler, controller-manager): such a pod is Ready the moment its process starts, so
// one that crashes a moment later (a bad flag) would count as available, and a re-run of init
// would report success while it crash-loops. With it, the Deployment controller counts a new pod
// available only after it has been Ready this long without a restart, and init's wait (updated
// replicas all available) waits for that. Components with a real readiness probe do without it.
inline constexpr int k_min_ready_seconds_without_probe = 5;

// Paths inside the component containers.
inline constexpr const char* k_pki_dir = "/etc/karmada/pki";
inline constexpr const char* k_config_dir = "/etc/karmada/config";
inline constexpr const char* k_kubeconfig_in_pod = "/etc/karmada/config/karmada.config";

// Upstream's in-cluster address of the Karmada API server.
std::string apiserver_service_url(const InitSpec& spec);
// Comma-separated etcd client URLs (local StatefulSet pods, or the external servers).
std::string etcd_servers(const InitSpec& spec);
// DNS names of the local etcd members ("etcd-0.etcd.<ns>.svc.<domain>", ...).
std::vector<std::string> etcd_member_hosts(const InitSpec& spec);

Json host_namespace(const InitSpec& spec);

Json etcd_service(const InitSpec& spec);
Json etcd_statefulset(const InitSpec& spec);
Json apiserver_service(const InitSpec& spec);
Json apiserver_deployment(const InitSpec& spec);
Json aggregated_apiserver_service(const InitSpec& spec);
Json aggregated_apiserver_deployment(const InitSpec& spec);
Json kube_controller_manager_service(const InitSpec& spec);
Json kube_controller_manager_deployment(const InitSpec& spec);
Json scheduler_deployment(const InitSpec& spec);
Json controller_manager_deployment(const InitSpec& spec);
Json webhook_service(const InitSpec& spec);
Json webhook_deployment(const InitSpec& spec);

// The objects of `component` in the host cluster, in the order they are applied: its Service (if
// it has one), then its Deployment or StatefulSet. None for etcd when it is external.
std::vector<Json> component_objects(const InitSpec& spec, Component component);

// An Opaque Secret holding `string_data` (stored base64 in `data`), labelled as upstream labels
// init's Secrets.
Json host_secret(const InitSpec& spec,
                 const std::string& name,
                 const std::map<std::string, std::string>& string_data);

// The Secrets holding each component's kubeconfig ("<component>-config", key karmada.config).
std::vector<std::string> component_config_secret_names();

} // namespace kctl::manifests
