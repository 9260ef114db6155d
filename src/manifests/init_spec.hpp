// What `init` installs, fully resolved: every default applied, every image named, every flag and
// config-file value merged and validated. The manifest builders read only this, so a spec fully
// determines the objects (and the golden files pin them).
#pragma once

#include "manifests/components.hpp"
#include "util/json.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kctl::manifests {

// Settings shared by every control-plane component.
struct ComponentSpec {
  std::string image;
  std::int32_t replicas = 1;
  std::string priority_class = "system-node-critical";
  // User arguments ("--flag=value"), merged over the defaults: same flag replaces, new ones
  // appended.
  std::vector<std::string> extra_args;
  // Honoured from --config (upstream parses and ignores them); empty means unset.
  Json resources = Json::object();
  std::map<std::string, std::string> node_selector;
  Json tolerations = Json::array();
  Json affinity = Json::object();
};

enum class EtcdStorageMode { host_path, empty_dir, pvc };

struct LocalEtcdSpec {
  EtcdStorageMode storage_mode = EtcdStorageMode::host_path;
  std::string data_path = "/var/lib/karmada-etcd";
  std::map<std::string, std::string> node_selector; // empty: {karmada.io/etcd: ""} in hostPath mode
  std::string pvc_size = "5Gi";
  std::string storage_class;
};

struct ExternalEtcdSpec {
  std::vector<std::string> servers; // non-empty means external mode
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string key_prefix;
};

struct InitSpec {
  std::string namespace_name = "karmada-system";
  std::string cluster_domain = "cluster.local";
  std::int32_t node_port = 32443;
  std::string image_pull_policy = "IfNotPresent";
  std::vector<std::string> image_pull_secrets;
  std::map<std::string, std::string> apiserver_service_annotations;

  LocalEtcdSpec local_etcd;
  ExternalEtcdSpec external_etcd;

  // One per row of k_components, in its order.
  std::array<ComponentSpec, k_component_count> components;

  ComponentSpec& component(Component c) { return components[static_cast<std::size_t>(c)]; }
  const ComponentSpec& component(Component c) const {
    return components[static_cast<std::size_t>(c)];
  }
  bool external_etcd_mode() const { return !external_etcd.servers.empty(); }
};

} // namespace kctl::manifests
