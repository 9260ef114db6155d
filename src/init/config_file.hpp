// The --config file: a KarmadaInitConfig (config.karmada.io/v1alpha1), as upstream reads it, plus
// the fields upstream parses and then ignores (resources, nodeSelector, tolerations, affinity,
// service annotations), which are honoured here. Decoded into typed values: every wrong type and
// unknown field is a problem naming its path ("spec.components.karmadaAPIServer.extraArgs[0].value:
// expected a string, got a number"), all of them reported together.
#pragma once

#include "init/options.hpp"
#include "manifests/components.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kctl::init {

// One component's settings (spec.components.<key>, or spec.etcd.local for etcd). A value is set
// only when the file gives a non-empty one (upstream's rule: only those override flags).
struct ComponentConfig {
  std::optional<std::string> image; // "repository:tag", only when both are given
  std::optional<std::int32_t> replicas;
  std::optional<std::string> priority_class;
  std::optional<std::vector<std::string>> extra_args; // "--name=value"
  std::optional<Json> resources;
  std::optional<std::map<std::string, std::string>> node_selector;
  std::optional<Json> tolerations;
  std::optional<Json> affinity;
};

struct KarmadaInitConfig {
  // spec.certificates
  std::optional<std::string> ca_cert_file;
  std::optional<std::string> ca_key_file;
  std::optional<std::vector<std::string>> external_dns;
  std::optional<std::vector<std::string>> external_ip;
  std::optional<std::chrono::nanoseconds> validity_period;
  // spec.etcd.local (the component settings are in `components`)
  std::optional<std::string> etcd_data_path;
  std::optional<std::string> etcd_pvc_size;
  std::optional<std::string> etcd_storage_mode;
  std::optional<std::string> storage_classes_name;
  std::optional<std::map<std::string, std::string>> etcd_node_selector_labels;
  // spec.etcd.external
  std::optional<std::vector<std::string>> external_etcd_endpoints;
  std::optional<std::string> external_etcd_ca_file;
  std::optional<std::string> external_etcd_cert_file;
  std::optional<std::string> external_etcd_key_file;
  std::optional<std::string> external_etcd_key_prefix;
  // spec.hostCluster
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
  std::optional<std::string> domain;
  // spec.images
  std::optional<std::string> image_pull_policy;
  std::optional<std::vector<std::string>> image_pull_secrets;
  std::optional<std::string> kube_image_mirror_country;
  std::optional<std::string> kube_image_registry;
  std::optional<std::string> kube_image_tag;
  std::optional<std::string> private_registry;
  // spec.components, one per row of manifests::k_components (etcd: spec.etcd.local)
  std::array<ComponentConfig, manifests::k_component_count> components;
  // spec.components.karmadaAPIServer
  std::optional<std::string> advertise_address;
  std::optional<std::string> namespace_name;
  std::optional<std::int32_t> port;
  std::map<std::string, std::string> service_annotations;
  // spec
  std::optional<std::string> crds;
  std::optional<std::string> data_path;
  std::optional<std::string> pki_path;
  std::optional<std::chrono::nanoseconds> wait_timeout;

  const ComponentConfig& component(manifests::Component c) const {
    return components[static_cast<std::size_t>(c)];
  }
};

// What decoding found: the values that decoded, and one line per problem ("<path>: <what>").
struct DecodedConfig {
  KarmadaInitConfig config;
  std::vector<std::string> problems;
};

// Decodes a parsed document. Wrong types, unknown fields and bad values are collected in
// `problems`; the fields that decoded are kept.
DecodedConfig decode_config(const Json& document);

// Reads and decodes `path`; a file that cannot be read or parsed is an error.
Result<DecodedConfig> load_config_file(const std::string& path);

// Overrides the flags in `options` with the values `config` sets. Lists that flags give as
// comma-separated text (certificate names, etcd endpoints, node selector labels) stay in `config`
// and are taken from there by `resolve`, never joined into text.
void merge_config(const KarmadaInitConfig& config, InitOptions& options);

} // namespace kctl::init
