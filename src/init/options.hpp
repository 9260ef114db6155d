// `init` flags as the user gave them, and their resolution into a validated InitSpec. Flag names
// and defaults are upstream karmadactl v1.18's; `resolve` checks everything before any cluster or
// file is touched and reports every problem at once.
#pragma once

#include "karmada/namespaces.hpp"
#include "manifests/init_spec.hpp"
#include "util/problems.hpp"
#include "util/result.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kctl::init {

// Per-component flags (--<flag prefix>-image, -replicas, -priority-class, -extra-args).
struct ComponentFlags {
  std::string image; // empty: the default image of the component's row
  std::int32_t replicas = 1;
  std::string priority_class = "system-node-critical";
  std::vector<std::string> extra_args;
};

// The flags of every row of manifests::k_components, with the row's defaults.
std::array<ComponentFlags, manifests::k_component_count> default_component_flags();

struct InitOptions {
  // images
  std::string private_image_registry;
  std::string image_pull_policy = "IfNotPresent";
  std::vector<std::string> image_pull_secrets;
  std::string kube_image_mirror_country;
  std::string kube_image_registry;
  std::string kube_image_tag = "v1.35.2";
  // certificates
  std::string cert_external_ip;
  std::string cert_external_dns;
  std::chrono::nanoseconds cert_validity_period = std::chrono::hours(8760);
  std::string ca_cert_file;
  std::string ca_key_file;
  bool force_new_ca = false; // replace an existing CA that cannot be reused
  // host cluster
  std::string namespace_name = std::string(karmada::k_karmada_system);
  std::string kubeconfig;
  std::string context;
  std::string storage_classes_name;
  std::string host_cluster_domain = "cluster.local";
  // local etcd
  std::string etcd_storage_mode = "hostPath";
  std::string etcd_init_image; // accepted for compatibility; etcd needs no init container
  std::string etcd_data = "/var/lib/karmada-etcd";
  std::string etcd_node_selector_labels;
  std::string etcd_pvc_size = "5Gi";
  // external etcd
  std::string external_etcd_ca_cert_path;
  std::string external_etcd_client_cert_path;
  std::string external_etcd_client_key_path;
  std::string external_etcd_servers;
  std::string external_etcd_key_prefix;
  // karmada
  std::string crds;
  std::string config_file;
  std::string karmada_apiserver_advertise_address;
  std::int32_t port = 32443;
  std::string karmada_data = "/etc/karmada";
  std::string karmada_pki = "/etc/karmada/pki";
  std::chrono::nanoseconds wait_component_ready_timeout = std::chrono::seconds(120);
  // image, replicas, priority class and extra args of each component, etcd included.
  std::array<ComponentFlags, manifests::k_component_count> components = default_component_flags();

  ComponentFlags& component(manifests::Component c) {
    return components[static_cast<std::size_t>(c)];
  }
  const ComponentFlags& component(manifests::Component c) const {
    return components[static_cast<std::size_t>(c)];
  }
};

// Everything `init` needs besides the host cluster connection, validated.
struct ResolvedInit {
  std::string kubeconfig; // the host cluster's, from the flags or --config's hostCluster
  std::string context;
  manifests::InitSpec spec;
  std::vector<std::string> cert_external_ips;
  std::vector<std::string> cert_external_dns;
  std::chrono::nanoseconds cert_validity_period{};
  std::string ca_cert_file;
  std::string ca_key_file;
  bool force_new_ca = false;
  std::string crds;
  std::string karmada_data;
  std::string karmada_pki;
  std::string advertise_address;
  std::chrono::nanoseconds wait_timeout{};
};

// Upstream's CRD tarball address for `karmada_version`.
std::string default_crds_url(std::string_view karmada_version);

// Merges the --config file (if any) over `options` and validates the result. Every problem is
// reported in one error, one per line.
Result<ResolvedInit> resolve(InitOptions options);

// Every problem resolve would report, as a list (empty when the options are valid).
Problems check(const InitOptions& options);

} // namespace kctl::init
